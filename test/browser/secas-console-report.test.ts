import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dateInWords } from '../../functions/domain/wording';
import { addWorkingDays, londonDate } from '../../functions/domain/working-days';
import { axeViolationsOfMarkup, launchBrowser, pageProblems, screenshot } from '../support/browser';
import { conventionBreaks } from '../support/page-conventions';
import { useWorkflow } from '../support/workflow';

/**
 * SECAS reads the report for the SSC and the Panel in the console, in a real browser under its
 * CSP: from the home page, for a range typed as GOV.UK dates; a range ending after today comes
 * back with an error summary linking to the date the API named. Each page is held to axe-core
 * (WCAG 2.2 A/AA) and to the GOV.UK page conventions.
 */
const w = useWorkflow();
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => browser?.close());

const typeDate = async (page: import('playwright-core').Page, id: string, date: string) => {
  const [year, month, day] = date.split('-');
  await page.fill(`#${id}-day`, String(Number(day)));
  await page.fill(`#${id}-month`, String(Number(month)));
  await page.fill(`#${id}-year`, year as string);
};

describe("the SECAS console's report", () => {
  it('shows the report for a chosen range, and names the date it cannot take', async () => {
    const { reference } = await w.submit();
    await w.decide(reference, 'defer-to-annual-review');
    await w.waitForStatus(reference, 'DeferredToAnnualReview');
    await w.submit((b) => (b.newUserSystem.alreadyInUse = true));

    const consoleUrl = w.ctx.sandbox.consoleUrl;
    const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
    const problems = pageProblems(page);
    const axeContext = await browser.newContext({ bypassCSP: true, viewport: { width: 1300, height: 900 } });
    const axePage = await axeContext.newPage();
    const checked: Array<[string, string[]]> = [];
    const check = async (kind: string, failed = false) => {
      const markup = await page.content();
      checked.push([kind, [...(await axeViolationsOfMarkup(axePage, `${consoleUrl}/reports`, markup)), ...conventionBreaks(markup, { failed })]]);
    };
    const submit = () => Promise.all([page.waitForEvent('load'), page.click('button[type="submit"]')]);

    await page.goto(consoleUrl);
    await Promise.all([page.waitForEvent('load'), page.click('a[href="/reports"]')]);
    expect(await page.textContent('h1')).toBe('Report for the SSC and the SEC Panel');
    await check('the last quarter, as served');

    const today = londonDate(new Date());
    const from = addWorkingDays(today, -5);
    await typeDate(page, 'from', from);
    await typeDate(page, 'to', today);
    await submit();
    const main = (await page.textContent('main')) ?? '';
    expect(main).toMatch(/All notices\s*2/);
    expect(main).toMatch(/Late\s*1/);
    expect(main).toMatch(/No further assessment until the annual review\s*1/);
    expect(main).toMatch(/Deferred to the annual review\s*1/);
    expect(main).toContain(`Notices received from ${dateInWords(from)} to ${dateInWords(today)}`);
    await screenshot(page, 'secas-console-report');
    await check('a report');

    // A range ending after today: the API's 422, shown as the form's error.
    const tomorrow = new Date(new Date(`${today}T12:00:00Z`).getTime() + 86_400_000).toISOString().slice(0, 10);
    await typeDate(page, 'to', tomorrow);
    await submit();
    expect(await page.title()).toMatch(/^Error: /);
    expect(await page.textContent('.govuk-error-summary')).toContain('must not be after today');
    expect(await page.getAttribute('.govuk-error-summary a', 'href')).toBe('#to-day');
    expect(await page.inputValue('#to-day')).toBe(String(Number(tomorrow.slice(8))));
    await screenshot(page, 'secas-console-report-refused');
    await check('a range refused', true);

    process.stdout.write(`axe-core and page conventions: ${checked.length} report pages, ${checked.reduce((n, [, v]) => n + v.length, 0)} violations\n`);
    expect(checked.filter(([, violations]) => violations.length)).toEqual([]);
    // The browser reports the refused page's status (422) as a failed load; nothing else went wrong.
    expect(problems.filter((p) => !/status of 422 .*\/reports\?/.test(p))).toEqual([]);
  }, 120_000);
});
