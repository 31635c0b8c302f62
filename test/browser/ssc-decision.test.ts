import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followEmailLink, launchBrowser, pageProblems, screenshot } from '../support/browser';
import { emailsTo } from '../support/sandbox';
import { useWorkflow } from '../support/workflow';

/**
 * The SSC's path in a real browser (headless Chromium), as a member takes it: the email in the
 * sandbox's SES inbox, its link, the confirmation page with the whole case; the form submitted
 * unchanged (as a scanner that runs forms would) decides nothing, and neither does another
 * case's reference; filled in, it decides, and the case shows who decided.
 */
const w = useWorkflow({ ownInbox: true });
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => browser?.close());

const architecture = 'Signing keys held in a dedicated HSM partition; operator access through hardware MFA only.';

describe("the SSC's decision in a browser", () => {
  it('asks for a name and the reference, decides nothing unchanged or mistyped, and records who decided', async () => {
    const { reference, user } = await w.submit((b) => (b.newUserSystem.securityArchitectureSummary = architecture));
    const other = await w.submit();
    await w.sscEmail(reference);
    const inbox = await browser.newPage({ viewport: { width: 1200, height: 1000 } });
    const inboxProblems = pageProblems(inbox);

    // The inbox, as the SSC's mail client: the email's HTML holds a summary and the links, not the architecture.
    await inbox.goto(w.ctx.sandbox.sesUrl);
    const email = inbox.locator('.email', { hasText: `SSC decision needed: ${reference}` });
    await email.locator('button', { hasText: 'Toggle HTML view' }).click();
    const body = email.frameLocator('iframe');
    await expect.poll(() => body.locator('a').count()).toBe(4);
    expect(await body.locator('body').textContent()).not.toContain('HSM');
    expect(await body.locator('body').textContent()).toContain('Decide by');
    const href = await body.locator('a', { hasText: 'No further assessment until the annual review' }).getAttribute('href');
    await screenshot(inbox, 'ssc-inbox-email');

    // The link clicked in the inbox, as the SSC member clicks it: the page opens outside the inbox's frame.
    const page = await followEmailLink(inbox, w.ctx.sandbox.sesUrl, `SSC decision needed: ${reference}`, 'No further assessment until the annual review');
    const problems = pageProblems(page);
    expect(page.url()).toBe(href);
    expect(await page.textContent('h1')).toBe(`${reference}: No further assessment until the annual review?`);
    expect(await page.textContent('body')).toContain(architecture);
    await screenshot(page, 'ssc-confirmation-page');

    // A person pressing Confirm on the form as served is stopped by the browser: the fields are required.
    await page.click('button[type="submit"]');
    expect(await page.locator('input[name="decidedBy"]:invalid').count()).toBe(1);
    expect(page.url()).toBe(href);

    // A scanner that submits the form as it stands, past the browser's checks, decides nothing.
    const usersEmails = (await emailsTo(w.ctx.sandbox.sesUrl, user)).length;
    await Promise.all([page.waitForURL((url) => !url.search), page.locator('form').evaluate((form) => (form as unknown as { submit(): void }).submit())]);
    expect(await page.title()).toMatch(/^Error: /);
    expect(await page.textContent('.govuk-error-summary')).toContain('Give your name');
    // The error summary has the focus, and its links lead to the fields.
    expect(await page.evaluate(() => (globalThis as any).document.activeElement?.className)).toBe('govuk-error-summary');
    await page.click('.govuk-error-summary a[href="#decidedBy"]');
    expect(await page.evaluate(() => (globalThis as any).document.activeElement?.id)).toBe('decidedBy');
    expect(await page.textContent('body')).toContain('Not yet decided');

    // Another case's reference decides nothing either; what was typed is kept.
    await page.fill('input[name="decidedBy"]', 'Mairéad Ní Bhriain');
    await page.fill('input[name="caseReference"]', other.reference);
    await Promise.all([page.waitForLoadState('load'), page.click('button[type="submit"]')]);
    expect(await page.textContent('body')).toContain('That is not the reference of this case');
    expect(await page.inputValue('input[name="decidedBy"]')).toBe('Mairéad Ní Bhriain');
    await screenshot(page, 'ssc-confirmation-wrong-reference');
    expect((await w.getCase(reference)).status).toBe('AwaitingSscDecision');
    expect(await emailsTo(w.ctx.sandbox.sesUrl, user)).toHaveLength(usersEmails);

    await page.fill('input[name="caseReference"]', reference);
    await page.fill('textarea[name="advice"]', 'Include it in the annual review.');
    await Promise.all([page.waitForLoadState('load'), page.click('button[type="submit"]')]);
    expect(await page.textContent('h1')).toBe(`Decision recorded for ${reference}`);
    expect(await page.textContent('body')).toContain('in the name of Mairéad Ní Bhriain');
    await screenshot(page, 'ssc-decision-recorded');

    const decided = await w.waitForStatus(reference, 'DeferredToAnnualReview');
    expect(decided.sscDecision.decidedBy).toBe('Mairéad Ní Bhriain');
    await page.goto(`${w.ctx.sandbox.consoleUrl}/cases/${reference}`);
    expect(await page.textContent('body')).toContain('No further assessment until the annual review, by Mairéad Ní Bhriain');
    // The two refusals are the only pages that did not load with 200.
    expect(problems.filter((p) => !p.includes('status of 422'))).toEqual([]);
    expect(inboxProblems).toEqual([]);
  }, 60_000);
});
