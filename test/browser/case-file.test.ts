import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launchBrowser, pageProblems, screenshot } from '../support/browser';
import { confirmDecision } from '../support/sandbox';
import { conventionBreaks } from '../support/page-conventions';
import { useWorkflow } from '../support/workflow';

/**
 * The case file in a real browser (headless Chromium), opened from the SECAS console's case page
 * as SECAS does: the API's page, served through the console with SECAS's token, its verification
 * first, GOV.UK's conventions kept, axe-core (WCAG 2.2 A/AA) finding nothing, and its print
 * stylesheet applied when printed (the skip link gone, the whole width used).
 */
const w = useWorkflow({ ownInbox: true });
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => browser?.close());

describe('the case file in a browser', () => {
  it('opens from the console, states its verification first, passes axe-core, and prints', async () => {
    const { reference } = await w.submit();
    const { link } = await w.sscEmail(reference);
    const question = 'Which User CIO assessed the provider?';
    expect((await confirmDecision(link('more-information'), question, { decidedBy: 'Dorothy Vaughan' })).status).toBe(200);
    await w.waitForStatus(reference, 'AwaitingUserInformation');
    expect((await w.post(`/notifications/${reference}/information`, { answer: 'Acme CIO Ltd.' })).status).toBe(202);
    await w.sscEmail(reference, 2);

    // axe is injected as a script, which the console's CSP refuses: this context bypasses it, for the check only.
    const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    const problems = pageProblems(page);
    await page.goto(`${w.ctx.sandbox.consoleUrl}/cases/${reference}`);
    await Promise.all([page.waitForURL(/\/file$/), page.click(`a[href="/cases/${reference}/file"]`)]);
    expect(await page.textContent('h1')).toBe(`Case file: ${reference}`);
    const first = page.locator('main > :nth-child(3)');
    expect(await first.getAttribute('id')).toBe('verification');
    expect(await first.textContent()).toContain('History verified');
    expect(await page.textContent('main')).toContain(question);
    expect(await page.textContent('main')).toContain('Dorothy Vaughan');
    expect(conventionBreaks(await page.content())).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'case-file');

    expect(await page.locator('.govuk-skip-link').evaluate((e: any) => (globalThis as any).getComputedStyle(e).display)).not.toBe('none');
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.govuk-skip-link').evaluate((e: any) => (globalThis as any).getComputedStyle(e).display)).toBe('none');
    expect(await page.locator('.govuk-width-container').evaluate((e: any) => (globalThis as any).getComputedStyle(e).maxWidth)).toBe('none');
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);
});
