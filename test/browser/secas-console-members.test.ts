import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolationsOfMarkup, launchBrowser, pageProblems, screenshot } from '../support/browser';
import { conventionBreaks } from '../support/page-conventions';
import { linksIn } from '../support/sandbox';
import { useWorkflow } from '../support/workflow';

/**
 * SECAS keeps the register of SSC members through the console's forms, in a real browser under the
 * console's CSP: adds two members (an address already held refused beside its field), appoints an
 * Alternate; a notice's decision is then taken in the browser through the Alternate's link (a typed
 * name that is the case reference refused with the page's error summary), and recorded as by the
 * Alternate for the member; a member removed through the console finds their link refused with a
 * clear page. Every page is held to axe-core and the GOV.UK page conventions.
 */
const w = useWorkflow();
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => browser?.close());

const tag = crypto.randomUUID().slice(0, 8);
const address = (who: string) => `${who}.${tag}@ssc.example.org`;

describe("the SECAS console's register of SSC members, and the decision pages of its members' links", () => {
  it('adds members and an Alternate through the forms; the Alternate decides in the browser; a removed member’s link is refused', async () => {
    const consoleUrl = w.ctx.sandbox.consoleUrl;
    const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
    const problems = pageProblems(page);
    const checked: Array<[string, string[]]> = [];
    const axeContext = await browser.newContext({ bypassCSP: true, viewport: { width: 1300, height: 900 } });
    const axePage = await axeContext.newPage();
    const check = async (kind: string, on: Page, failed = false) => {
      const markup = await on.content();
      checked.push([kind, [...(await axeViolationsOfMarkup(axePage, on.url(), markup)), ...conventionBreaks(markup, { failed })]]);
    };
    const submit = () => Promise.all([page.waitForEvent('load'), page.click('button[type="submit"]')]);
    const addMember = async (name: string, email: string) => {
      await page.goto(`${consoleUrl}/members/new`);
      await page.fill('#name', name);
      await page.fill('#email', email);
      await page.fill('#officer', 'Ada Lovelace');
      await submit();
    };

    await page.goto(consoleUrl);
    await Promise.all([page.waitForEvent('load'), page.click('a[href="/members"]')]);
    expect(await page.textContent('h1')).toBe('SSC members');
    expect(await page.textContent('main')).toContain('go to the SSC mailbox');
    await check('SSC members, none yet', page);
    await page.goto(`${consoleUrl}/members/new`);
    await check('member form', page);

    await addMember('Priya Shah', address('priya'));
    const priyaUrl = page.url();
    expect(priyaUrl).toMatch(/\/members\/[A-Za-z0-9_-]{12}$/);
    expect(await page.textContent('h1')).toBe('Priya Shah');
    await check('a member, just added', page);
    await addMember('Carl Obi', address('carl'));
    const carlUrl = page.url();
    // The same address again: the API's 422, beside the field.
    await addMember('P. Shah', address('priya'));
    expect(await page.textContent('.govuk-error-summary a[href="#email"]')).toContain('already in the register');
    await check('member form refused (422)', page, true);

    await page.goto(priyaUrl);
    await Promise.all([page.waitForEvent('load'), page.click(`a[href="${new URL(priyaUrl).pathname}/alternate"]`)]);
    await check('Alternate form', page);
    await page.fill('#name', 'Tom Reid');
    await page.fill('#email', address('tom'));
    await page.fill('#officer', 'Grace Hopper');
    await submit();
    expect(page.url()).toBe(priyaUrl);
    expect(await page.textContent('.govuk-summary-list')).toContain('Tom Reid');
    const trail = await page.locator('table', { has: page.locator('caption', { hasText: 'Audit trail' }) }).textContent();
    expect(trail).toMatch(/Member added.*Ada Lovelace.*Alternate appointed.*Grace Hopper.*Tom Reid/);
    await screenshot(page, 'secas-console-member');
    await check('a member with an Alternate', page);
    await page.goto(`${consoleUrl}/members`);
    expect(await page.textContent('main')).toMatch(/Priya Shah.*Tom Reid/);
    await check('SSC members', page);

    // A notice: the Alternate's own email, its link opened in the browser.
    const { reference } = await w.submit();
    const tomEmail = await w.emailTo(address('tom'), `SSC decision needed: ${reference}`);
    const carlEmail = await w.emailTo(address('carl'), `SSC decision needed: ${reference}`);
    const link = (email: typeof tomEmail, slug: string) => linksIn(email).find((l) => l.includes(`decision=${slug}`)) as string;
    const decision = await browser.newPage({ viewport: { width: 1200, height: 1000 } });
    const decisionProblems = pageProblems(decision);
    await decision.goto(link(tomEmail, 'defer-to-annual-review'));
    expect(await decision.textContent('main')).toContain('Tom Reid, Alternate for Priya Shah');
    await check('confirmation page of an Alternate', decision);
    await decision.fill('#decidedBy', reference);
    await decision.fill('#caseReference', reference);
    await Promise.all([decision.waitForEvent('load'), decision.click('button[type="submit"]')]);
    expect(await decision.title()).toMatch(/^Error: /);
    expect(await decision.textContent('.govuk-error-summary a[href="#decidedBy"]')).toContain('That is the case reference');
    await check('confirmation page, the reference typed as a name', decision, true);
    await decision.fill('#decidedBy', 'Tom Reid');
    await decision.fill('#caseReference', reference);
    await Promise.all([decision.waitForEvent('load'), decision.click('button[type="submit"]')]);
    expect(await decision.textContent('main')).toContain('as taken by Tom Reid as Alternate for Priya Shah');
    await screenshot(decision, 'ssc-decision-by-alternate');
    await check('decision recorded by an Alternate', decision);
    const c = await w.waitForStatus(reference, 'DeferredToAnnualReview');
    expect(c.sscDecision.decidedAs).toEqual({ memberId: new URL(priyaUrl).pathname.split('/')[2], member: 'Priya Shah', alternate: 'Tom Reid' });

    // Carl removed through the console: his link of a new case gives the clear page.
    const second = await w.submit();
    const carlSecond = await w.emailTo(address('carl'), `SSC decision needed: ${second.reference}`);
    await page.goto(`${carlUrl}/removal`);
    await check('removal form', page);
    await page.fill('#officer', 'Ada Lovelace');
    await submit();
    expect(page.url()).toBe(`${consoleUrl}/members`);
    expect(await page.locator('table', { has: page.locator('caption', { hasText: 'Former members' }) }).textContent()).toContain('Carl Obi');
    await check('SSC members with a former member', page);
    await decision.goto(link(carlSecond, 'ad-hoc-assessment'));
    expect(await decision.textContent('h1')).toBe('This link no longer works');
    await check('a removed member’s link', decision);
    await decision.goto(link(carlEmail, 'ad-hoc-assessment'));
    expect(await decision.textContent('h1')).toBe('This link no longer works');
    expect((await w.getCase(second.reference)).status).toBe('AwaitingSscDecision');

    process.stdout.write(`axe-core and page conventions: ${checked.length} pages, ${checked.reduce((n, [, v]) => n + v.length, 0)} violations\n`);
    expect(checked.filter(([, violations]) => violations.length)).toEqual([]);
    // The refusals answered 422 (the address, the name) and 403 (the removed member's link, twice); nothing else failed.
    expect(problems.filter((p) => !/status of 422 /.test(p))).toEqual([]);
    expect(decisionProblems.filter((p) => !/status of (422|403) /.test(p))).toEqual([]);
  }, 150_000);

  it('takes a form only from its own pages, and answers 404 for a member the register does not hold', async () => {
    const consoleUrl = w.ctx.sandbox.consoleUrl;
    const form = await (await fetch(`${consoleUrl}/members/new`)).text();
    const token = /name="csrf" value="([^"]+)"/.exec(form)?.[1] as string;
    const post = (headers: Record<string, string>, body: Record<string, string>) =>
      fetch(`${consoleUrl}/members/new`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
        body: new URLSearchParams(body),
      });
    const fields = { name: 'Eve Forger', email: address('eve'), officer: 'Eve' };
    const before = ((await (await w.ctx.api('secas').get('/ssc-members')).json()) as { items: unknown[] }).items.length;
    expect((await post({}, { ...fields, csrf: token })).status).toBe(403);
    expect((await post({ Origin: 'http://attacker.example' }, { ...fields, csrf: token })).status).toBe(403);
    expect((await post({ Origin: new URL(consoleUrl).origin }, fields)).status).toBe(403);
    expect(((await (await w.ctx.api('secas').get('/ssc-members')).json()) as { items: unknown[] }).items).toHaveLength(before);
    expect((await fetch(`${consoleUrl}/members/NoSuchMembr1`)).status).toBe(404);
    expect((await fetch(`${consoleUrl}/members/NoSuchMembr1/alternate`)).status).toBe(404);
    const accepted = await post({ Origin: new URL(consoleUrl).origin }, { ...fields, csrf: token });
    expect(accepted.status).toBe(303);
    expect(accepted.headers.get('location')).toMatch(/^\/members\/[A-Za-z0-9_-]{12}$/);
  });
});
