import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMonths, londonDate } from '../../functions/domain/working-days';
import { axeViolationsOfMarkup, launchBrowser, pageProblems, screenshot } from '../support/browser';
import { uniqueNotification } from '../support/fixtures';
import { conventionBreaks } from '../support/page-conventions';
import { useSandbox, waitForEmail, waitUntil } from '../support/sandbox';

/**
 * SECAS keeps the register of Shared Resource Providers through the console's forms, in a real
 * browser under the console's CSP: records a provider (a name already held refused), records an
 * Approved outcome after a date that does not exist and a malformed reference are refused beside
 * their fields; a notice naming the provider is then triaged as the register says; a Rejected
 * outcome recorded through the form is emailed to that notice's User, and the audit trail names
 * the officer and the case told. Every page is held to axe-core and the GOV.UK page conventions.
 */
const ctx = useSandbox();
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => browser?.close());

const parts = (date: string) => {
  const [year, month, day] = date.split('-');
  return { day: String(Number(day)), month: String(Number(month)), year: year as string };
};

describe("the SECAS console's register of Shared Resource Providers", () => {
  it('records a provider and its outcomes through the forms; triage follows them and the User is told', async () => {
    const consoleUrl = ctx.sandbox.consoleUrl;
    const today = londonDate(new Date());
    const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
    const problems = pageProblems(page);
    const checked: Array<[string, string[]]> = [];
    const axeContext = await browser.newContext({ bypassCSP: true, viewport: { width: 1300, height: 900 } });
    const axePage = await axeContext.newPage();
    const check = async (kind: string, failed = false) => {
      const markup = await page.content();
      checked.push([kind, [...(await axeViolationsOfMarkup(axePage, `${consoleUrl}/providers`, markup)), ...conventionBreaks(markup, { failed })]]);
    };
    const submit = () => Promise.all([page.waitForEvent('load'), page.click('button[type="submit"]')]);
    const fillDate = async (name: string, date: { day: string; month: string; year: string }) => {
      await page.fill(`#${name}-day`, date.day);
      await page.fill(`#${name}-month`, date.month);
      await page.fill(`#${name}-year`, date.year);
    };

    await page.goto(consoleUrl);
    await Promise.all([page.waitForEvent('load'), page.click('a[href="/providers"]')]);
    expect(await page.textContent('h1')).toBe('Shared Resource Providers');
    await check('Shared Resource Providers, none yet');

    // Record the provider; the same name again is the API's 409, beside the name.
    for (const attempt of ['first', 'again']) {
      await page.goto(`${consoleUrl}/providers/new`);
      if (attempt === 'first') await check('provider form');
      await page.fill('#name', 'Harbour Shared Services plc');
      await page.fill('#officer', 'Ada Lovelace');
      await submit();
    }
    expect(await page.textContent('.govuk-error-summary a[href="#name"]')).toContain('already holds a provider of this name');
    await check('provider form refused (409)', true);
    await page.goto(`${consoleUrl}/providers/harbour-shared-services-plc`);
    expect(await page.textContent('h1')).toBe('Harbour Shared Services plc');
    expect(await page.textContent('main')).toContain('No outcome recorded yet');
    await check('a provider, just recorded');

    // An outcome: a date that does not exist, then a malformed reference, each refused beside its field; then recorded.
    await page.click('a[href="/providers/harbour-shared-services-plc/assessments/new"]');
    await page.waitForSelector('#reference');
    await check('assessment form');
    await page.fill('#reference', 'USA-SR-2025-019');
    await fillDate('assessedOn', { day: '31', month: '2', year: today.slice(0, 4) });
    await page.check('#assuranceStatus');
    await fillDate('validUntil', parts(addMonths(today, 12)));
    await page.fill('#officer', 'Ada Lovelace');
    await submit();
    expect(await page.textContent('.govuk-error-summary a[href="#assessedOn-day"]')).toContain('must be a real date');
    await check('assessment form, a date refused', true);
    await fillDate('assessedOn', parts(addMonths(today, -2)));
    await page.fill('#reference', 'usa sr 2025');
    await submit();
    expect(await page.textContent('.govuk-error-summary a[href="#reference"]')).toContain('must be an assessment reference');
    await screenshot(page, 'secas-console-assessment-refused');
    await check('assessment form refused (422)', true);
    await page.fill('#reference', 'USA-SR-2025-019');
    await submit();
    expect(page.url()).toBe(`${consoleUrl}/providers/harbour-shared-services-plc`);
    const assessments = page.locator('table', { has: page.locator('caption', { hasText: 'User Security Assessments' }) });
    expect(await assessments.textContent()).toMatch(/USA-SR-2025-019.*Approved/);
    expect(await assessments.textContent()).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    await check('a provider with an outcome');

    // A notice naming it (the sample does) is triaged by the register.
    const notice = uniqueNotification();
    const filed = await ctx.api('user').post('/notifications', notice);
    expect(filed.status).toBe(201);
    const { reference, triage } = (await filed.json()) as { reference: string; triage: { recommendation: string; register: { finding: string } } };
    expect(triage).toMatchObject({ recommendation: 'DeferToAnnualReview', register: { finding: 'CurrentApproved' } });
    await waitUntil(async () => {
      const c = (await (await ctx.api('user').get(`/notifications/${reference}`)).json()) as { status: string };
      return c.status === 'AwaitingSscDecision' ? c : undefined;
    }, `${reference} to await the SSC`);

    // A Rejected outcome through the form: the User is told, and the trail says so.
    await page.click('a[href="/providers/harbour-shared-services-plc/assessments/new"]');
    await page.waitForSelector('#reference');
    await page.fill('#reference', 'USA-SR-2026-050');
    await fillDate('assessedOn', parts(today));
    await page.check('#assuranceStatus-3');
    await fillDate('validUntil', parts(addMonths(today, 12)));
    await page.fill('#officer', 'Grace Hopper');
    await submit();
    expect(page.url()).toBe(`${consoleUrl}/providers/harbour-shared-services-plc`);
    expect(await page.textContent('.govuk-summary-list')).toContain('Rejected');
    const trail = await page.locator('table', { has: page.locator('caption', { hasText: 'Audit trail' }) }).textContent();
    expect(trail).toMatch(/Provider recorded.*Ada Lovelace/);
    expect(trail).toMatch(/Assessment outcome recorded.*Grace Hopper.*USA-SR-2026-050.*/);
    expect(trail).toContain(reference);
    await screenshot(page, 'secas-console-provider');
    await check('a provider after a Rejected outcome');
    const told = await waitForEmail(ctx.sandbox.sesUrl, notice.contact.email, 'Shared Resource assessment Rejected');
    expect(told.body.text).toContain('USA-SR-2026-050');
    await waitForEmail(ctx.sandbox.sesUrl, ctx.secasAddress, '[REJECTED] Shared Resource Provider Harbour Shared Services plc');

    await page.goto(`${consoleUrl}/providers`);
    expect(await page.textContent('main')).toMatch(/Harbour Shared Services plc\s*Rejected/);
    await check('Shared Resource Providers');

    process.stdout.write(`axe-core and page conventions: ${checked.length} console pages, ${checked.reduce((n, [, v]) => n + v.length, 0)} violations\n`);
    expect(checked.filter(([, violations]) => violations.length)).toEqual([]);
    // The refusals are answered 409, 422 and 422 (Chromium logs each); nothing else failed.
    expect(problems.filter((p) => !/status of (422|409) /.test(p))).toEqual([]);
    expect(problems).toHaveLength(3);
  }, 150_000);

  it('takes a form only from its own pages, and answers 404 for a provider the register does not hold', async () => {
    const consoleUrl = ctx.sandbox.consoleUrl;
    const form = await (await fetch(`${consoleUrl}/providers/new`)).text();
    const token = /name="csrf" value="([^"]+)"/.exec(form)?.[1] as string;
    const post = (headers: Record<string, string>, body: Record<string, string>) =>
      fetch(`${consoleUrl}/providers/new`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
        body: new URLSearchParams(body),
      });
    const fields = { name: 'Forged Hosting', officer: 'Eve' };
    expect((await post({}, { ...fields, csrf: token })).status).toBe(403);
    expect((await post({ Origin: 'http://attacker.example' }, { ...fields, csrf: token })).status).toBe(403);
    expect((await post({ Origin: new URL(consoleUrl).origin }, fields)).status).toBe(403);
    expect(await (await ctx.api('secas').get('/shared-resource-providers/forged-hosting')).status).toBe(404);
    expect((await fetch(`${consoleUrl}/providers/no-such-provider`)).status).toBe(404);
    expect((await fetch(`${consoleUrl}/providers/no-such-provider/assessments/new`)).status).toBe(404);
    const accepted = await post({ Origin: new URL(consoleUrl).origin }, { ...fields, csrf: token });
    expect(accepted.status).toBe(303);
    expect(accepted.headers.get('location')).toBe('/providers/forged-hosting');
  });
});
