import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dateInWords } from '../../functions/domain/wording';
import { addWorkingDays, londonDate } from '../../functions/domain/working-days';
import { followEmailLink, launchBrowser, pageProblems, screenshot } from '../support/browser';
import { linksIn } from '../support/sandbox';
import { useWorkflow } from '../support/workflow';

/**
 * The SECAS console and form in a real browser (headless Chromium): Mermaid draws the workflow
 * under the console's CSP with the state the case waits in marked, and the form a click away
 * records the assessment date, with the officer's name and the case reference typed, as a browser
 * submits it (its relative action, `form-action 'self'`). Its own SES inbox: the shared one holds
 * every test file's emails, more than the inbox page renders, so the email to click might not be shown.
 */
const w = useWorkflow({ ownInbox: true });
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => browser?.close());

describe('the SECAS console in a browser', () => {
  it("draws the case's workflow with where it waits, and takes SECAS to its form, which records the date", async () => {
    const { reference, user } = await w.submit();
    await w.decide(reference, 'ad-hoc-assessment');
    await w.waitForDeadline(reference, 'AssessmentSchedule');
    const request = await w.emailTo(w.ctx.secasAddress, `Arrange an ad-hoc User Security Assessment: ${reference}`);

    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const problems = pageProblems(page);
    await page.goto(w.ctx.sandbox.consoleUrl);
    await page.click(`a[href="/cases/${reference}"]`);
    await page.waitForSelector('pre.mermaid svg', { timeout: 20_000 });
    const current = page.locator('svg g.node.current');
    expect(await current.count()).toBe(1);
    expect(await current.textContent()).toContain('AwaitAssessmentSchedule');
    expect(await page.locator('svg g.node.visited').count()).toBeGreaterThanOrEqual(7);
    expect(await page.locator('svg g.node.failed').count()).toBe(0);
    await screenshot(page, 'secas-console-case');

    // The console's button is the link SECAS's email carries; SECAS follows it from the email in the inbox, as a person does.
    const link = linksIn(request)[0] as string;
    expect(await page.getAttribute('a.govuk-button', 'href')).toBe(link);
    const form = await followEmailLink(page, w.ctx.sandbox.sesUrl, `Arrange an ad-hoc User Security Assessment: ${reference}`, 'Record the assessment date');
    const formProblems = pageProblems(form);
    expect(form.url()).toBe(link);
    const scheduledOn = addWorkingDays(londonDate(new Date()), 10);
    const [year, month, day] = scheduledOn.split('-').map(Number) as [number, number, number];
    await form.fill('input[name="scheduledOn-day"]', String(day));
    await form.fill('input[name="scheduledOn-month"]', String(month));
    await form.fill('input[name="scheduledOn-year"]', String(year));
    await form.fill('input[name="recordedBy"]', 'Ada Lovelace');
    await form.fill('input[name="caseReference"]', reference);
    await screenshot(form, 'secas-assessment-date-form');
    await Promise.all([form.waitForURL(/\/assessments\//), form.click('button[type="submit"]')]);
    expect(await form.textContent('h1')).toBe(`Recorded for ${reference}`);
    expect(await form.textContent('.govuk-panel__body')).toContain(dateInWords(scheduledOn));
    await screenshot(form, 'secas-assessment-date-recorded');
    expect((await w.emailTo(user, `Ad-hoc User Security Assessment scheduled: ${reference}`)).body.text).toContain(scheduledOn);
    expect(problems).toEqual([]);
    expect(formProblems).toEqual([]);
  }, 60_000);
});
