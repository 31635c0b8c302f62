import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dateInWords } from '../../functions/domain/wording';
import { addWorkingDays, londonDate } from '../../functions/domain/working-days';
import { axeViolationsOfMarkup, launchBrowser, pageProblems, screenshot } from '../support/browser';
import { conventionBreaks } from '../support/page-conventions';
import { useWorkflow } from '../support/workflow';

/**
 * SECAS's console page of an SSC meeting's papers in a real browser: from the cases page to the
 * papers of the next meeting (the cases due at it, each a link to its case), then to another
 * meeting chosen from the list; axe-core and the GOV.UK conventions hold on each page.
 */
const today = londonDate(new Date());
const meeting = addWorkingDays(today, 9);
const later = addWorkingDays(today, 19);
const w = useWorkflow({ environment: { SSC_MEETINGS: JSON.stringify({ dates: [meeting, later] }), SSC_PAPER_DEADLINE_WORKING_DAYS: '5' } });
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => browser?.close());

const farOff = (b: Record<string, any>) => {
  b.newUserSystem.plannedProcurementOn = addWorkingDays(today, 30);
  b.newUserSystem.plannedLiveOn = addWorkingDays(today, 60);
};

describe("the SECAS console's meeting papers in a browser", () => {
  it('shows the cases due at the meeting chosen, and keeps to axe-core and the GOV.UK conventions', async () => {
    const cases = [await w.submit(farOff), await w.submit(farOff)];
    for (const { reference } of cases) await w.waitForDeadline(reference, 'SscDecision');
    const consoleUrl = w.ctx.sandbox.consoleUrl;
    const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
    const problems = pageProblems(page);
    // axe is injected as a script, which the console's CSP forbids: each page's markup is checked in a context without it.
    const axePage = await (await browser.newContext({ bypassCSP: true })).newPage();
    const checks: Array<[string, string[]]> = [];
    const check = async (kind: string) => {
      const markup = await page.content();
      checks.push([kind, [...(await axeViolationsOfMarkup(axePage, `${consoleUrl}/meetings`, markup)), ...conventionBreaks(markup)]]);
    };

    await page.goto(consoleUrl);
    await Promise.all([page.waitForURL(/\/meetings$/), page.click('a[href="/meetings"]')]);
    expect(await page.textContent('h1')).toBe(`Papers for the SSC meeting on ${dateInWords(meeting)}`);
    const dueRows = page.locator('table[aria-labelledby="due"] tbody tr');
    expect(await dueRows.count()).toBe(2);
    for (const { reference } of cases) expect(await page.locator(`table[aria-labelledby="due"] a[href="/cases/${reference}"]`).count()).toBe(1);
    expect(await dueRows.first().textContent()).toContain(dateInWords(meeting));
    await screenshot(page, 'secas-console-meeting-papers');
    await check('the next meeting');

    await Promise.all([page.waitForURL(new RegExp(`/meetings/${later}$`)), page.click(`a[href="/meetings/${later}"]`)]);
    expect(await page.textContent('h1')).toBe(`Papers for the SSC meeting on ${dateInWords(later)}`);
    expect(await page.locator('table[aria-labelledby="due"]').count()).toBe(0);
    expect(await page.textContent('#due')).toBe('Cases due at this meeting (0)');
    await check('a later meeting');

    const missing = await page.goto(`${consoleUrl}/meetings/${addWorkingDays(meeting, 1)}`);
    expect(missing?.status()).toBe(404);
    expect((await page.goto(`${consoleUrl}/meetings/2027-02-30`))?.status()).toBe(404);
    expect(checks).toEqual(checks.map(([kind]) => [kind, []]));
    expect(problems.filter((p) => !p.includes('404'))).toEqual([]);
  }, 60_000);
});
