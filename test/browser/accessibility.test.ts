import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assessmentRefusalPage } from '../../functions/domain/assessment-pages';
import { refusalPage } from '../../functions/domain/decision-pages';
import { addWorkingDays, londonDate } from '../../functions/domain/working-days';
import { axeViolations, followEmailLink, launchBrowser } from '../support/browser';
import { dateFields, linksIn } from '../support/sandbox';
import { useWorkflow } from '../support/workflow';

/**
 * axe-core (WCAG 2.2 A and AA) on every kind of page a person meets: the SSC's confirmation page,
 * the page shown again to be corrected (422), the result page after a question, each refusal;
 * SECAS's date and outcome forms, their corrections and their results; the pages for a request the
 * form cannot read (415, 400, 413); the console's list and case pages. Any violation fails.
 *
 * axe is injected as a script, which the pages' CSP (rightly) refuses: the pages are opened in a
 * browser context with `bypassCSP: true`, for these checks only (the other browser tests keep
 * the CSP). Pages reached through the emails are opened by clicking their links in the inbox; a
 * refusal no live link can show within a test (an expired link) is rendered from the same
 * function its handler calls, and the pages for unreadable requests from what the server answered.
 */
const w = useWorkflow({ ownInbox: true });
let browser: Browser;
let context: BrowserContext;
beforeAll(async () => {
  browser = await launchBrowser();
  context = await browser.newContext({ bypassCSP: true, viewport: { width: 1200, height: 900 } });
});
afterAll(async () => browser?.close());

const checked: Array<[string, string[]]> = [];
const check = async (kind: string, page: Page) => {
  const violations = await axeViolations(page);
  checked.push([kind, violations]);
};
/** The pages rendered here rather than reached, each set into one blank page in turn (which keeps the axe injected into it). */
let markupPage: Page | undefined;
const checkMarkup = async (kind: string, markup: string) => {
  markupPage ??= await context.newPage();
  await markupPage.setContent(markup);
  await check(kind, markupPage);
};

const today = () => londonDate(new Date());

/** Submits the page's form as it stands, past the browser's own checks (its required fields), to see the server's corrections. */
const submitAsItStands = (page: Page) => Promise.all([page.waitForEvent('load'), page.locator('form').evaluate((form: any) => form.submit())]);

describe('pages people use, under axe-core (WCAG 2.2 A/AA)', () => {
  it('have no violation on any page kind', async () => {
    const inbox = await context.newPage();

    // The SSC: a question asked (the result page then speaks of the question), a forged and a spent link.
    const asked = await w.submit();
    const { link } = await w.sscEmail(asked.reference);
    const subject = `SSC decision needed: ${asked.reference}`;
    const confirmation = await followEmailLink(inbox, w.ctx.sandbox.sesUrl, subject, 'Ask the User for more information');
    await check('SSC confirmation page', confirmation);
    await confirmation.fill('input[name="decidedBy"]', 'Priya Shah');
    await submitAsItStands(confirmation);
    expect(await confirmation.title()).toMatch(/^Error: /);
    await check('SSC confirmation page shown again (422)', confirmation);
    await confirmation.fill('input[name="caseReference"]', asked.reference);
    await confirmation.fill('textarea[name="advice"]', 'Which provider hosts it?');
    await Promise.all([confirmation.waitForEvent('load'), confirmation.click('button[type="submit"]')]);
    expect(await confirmation.textContent('main')).toContain("The User will be emailed the SSC's question.");
    expect(await confirmation.textContent('main')).toContain('Your question');
    expect(await confirmation.textContent('main')).not.toMatch(/advice/i);
    await check('SSC result page after a question', confirmation);
    const spent = await context.newPage();
    await spent.goto(link('more-information'));
    expect(await spent.textContent('h1')).toBe('This case has already been decided');
    await check('SSC refusal: already decided', spent);
    const forged = new URL(link('defer-to-annual-review'));
    forged.searchParams.set('sig', `${forged.searchParams.get('sig')?.split('.')[0]}.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`);
    await spent.goto(forged.toString());
    expect(await spent.textContent('h1')).toBe('This link is not valid');
    await check('SSC refusal: forged', spent);
    await spent.goto(link('out-of-scope'));
    await check(`SSC refusal: ${await spent.textContent('h1')}`, spent);
    const c = await w.getCase(asked.reference);
    await checkMarkup('SSC refusal: expired', refusalPage('expired'));
    await checkMarkup('SSC refusal: moved on', refusalPage('moved-on', undefined, c as never));
    await checkMarkup('SSC refusal: no more questions', refusalPage('no-more-questions'));

    // SECAS: the date form, its correction and result; the outcome form, its correction and result.
    const assessed = await w.submit();
    await w.decide(assessed.reference, 'ad-hoc-assessment');
    const dateSubject = `Arrange an ad-hoc User Security Assessment: ${assessed.reference}`;
    const request = await w.emailTo(w.ctx.secasAddress, dateSubject);
    const dateForm = await followEmailLink(inbox, w.ctx.sandbox.sesUrl, dateSubject, 'Record the assessment date');
    await check('SECAS date form', dateForm);
    await dateForm.fill('input[name="scheduledOn-day"]', '31');
    await dateForm.fill('input[name="scheduledOn-month"]', '2');
    await dateForm.fill('input[name="scheduledOn-year"]', '2027');
    await submitAsItStands(dateForm);
    expect(await dateForm.textContent('.govuk-error-summary')).toContain('must be a real date');
    await check('SECAS date form shown again (422)', dateForm);
    const scheduledOn = addWorkingDays(today(), 5);
    for (const [name, value] of Object.entries(dateFields('scheduledOn', scheduledOn))) await dateForm.fill(`input[name="${name}"]`, value);
    await dateForm.fill('input[name="recordedBy"]', 'Ada Lovelace');
    await dateForm.fill('input[name="caseReference"]', assessed.reference);
    await Promise.all([dateForm.waitForEvent('load'), dateForm.click('button[type="submit"]')]);
    expect(await dateForm.textContent('h1')).toBe(`Recorded for ${assessed.reference}`);
    await check('SECAS date recorded', dateForm);
    await dateForm.goto(linksIn(request)[0] as string);
    await check(`SECAS refusal: ${await dateForm.textContent('h1')}`, dateForm);
    await checkMarkup('SECAS refusal: expired', assessmentRefusalPage('expired'));
    await checkMarkup('SECAS refusal: moved on', assessmentRefusalPage('moved-on', { caseRecord: (await w.getCase(assessed.reference)) as never }));

    await w.waitForDeadline(assessed.reference, 'AssessmentOutcome');
    await w.assessmentDayComes(assessed.reference);
    const outcomeSubject = `Record the outcome of an ad-hoc User Security Assessment: ${assessed.reference}`;
    await w.emailTo(w.ctx.secasAddress, outcomeSubject);
    const outcomeForm = await followEmailLink(inbox, w.ctx.sandbox.sesUrl, outcomeSubject, 'Record the assessment outcome');
    await check('SECAS outcome form', outcomeForm);
    await submitAsItStands(outcomeForm);
    expect(await outcomeForm.title()).toMatch(/^Error: /);
    await check('SECAS outcome form shown again (422)', outcomeForm);
    await outcomeForm.check('input[value="ApprovedSubjectTo"]');
    await outcomeForm.fill('textarea[name="conditions"]', 'Close the two findings by March.');
    for (const [name, value] of Object.entries(dateFields('completedOn', today()))) await outcomeForm.fill(`input[name="${name}"]`, value);
    await outcomeForm.fill('input[name="recordedBy"]', 'Grace Hopper');
    await outcomeForm.fill('input[name="caseReference"]', assessed.reference);
    await Promise.all([outcomeForm.waitForEvent('load'), outcomeForm.click('button[type="submit"]')]);
    expect(await outcomeForm.textContent('h1')).toBe(`Recorded for ${assessed.reference}`);
    await check('SECAS outcome recorded', outcomeForm);

    // The pages for a request the form cannot read, as the server answered them.
    const url = new URL(link('defer-to-annual-review'));
    const fields = new URLSearchParams({ ...Object.fromEntries(url.searchParams), decidedBy: 'Priya Shah' });
    for (const [status, init] of [
      [415, { headers: { 'Content-Type': 'application/json' }, body: '{}' }],
      [400, { headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: `${fields}&advice=%FF%FE` }],
      [413, { headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: `${fields}&advice=${'x'.repeat(300 * 1024)}` }],
    ] as const) {
      const response = await fetch(`${url.origin}${url.pathname}`, { method: 'POST', ...init });
      expect(response.status).toBe(status);
      await checkMarkup(`person's error page (${status})`, await response.text());
    }

    // SECAS's console: the list, and a case with its workflow drawn.
    const console = await context.newPage();
    await console.goto(w.ctx.sandbox.consoleUrl);
    await check('console: all cases', console);
    await console.goto(`${w.ctx.sandbox.consoleUrl}/cases/${assessed.reference}`);
    await console.waitForSelector('pre.mermaid svg', { timeout: 20_000 });
    await check('console: a case', console);

    process.stdout.write(`axe-core: ${checked.length} pages, ${checked.reduce((n, [, v]) => n + v.length, 0)} violations\n`);
    expect(checked.filter(([, violations]) => violations.length)).toEqual([]);
    expect(checked.length).toBeGreaterThanOrEqual(22);
  }, 120_000);
});
