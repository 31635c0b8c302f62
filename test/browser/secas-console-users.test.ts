import { generateKeyPairSync } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateClientKey } from '../../infra/local/sandbox-clients';
import { requestAccessToken } from '../../infra/tools/token';
import { axeViolationsOfMarkup, launchBrowser, pageProblems, screenshot } from '../support/browser';
import { uniqueNotification } from '../support/fixtures';
import { conventionBreaks } from '../support/page-conventions';
import { postJson, useSandbox } from '../support/sandbox';

/**
 * SECAS keeps the register of SEC Users through the console's forms, in a real browser under the
 * console's CSP: registers a User, adds its key (made here, as the User makes one), is told why a
 * private key, a PEM that is no key and a kid used before are refused, adds a second key as a JWK,
 * retires the first, suspends, reinstates, and offboards after confirming. The User registered
 * there then gets a token with its own key and files a notification: the forms' changes are the
 * API's. Every page is held to axe-core (WCAG 2.2 A/AA) and to the GOV.UK page conventions.
 */
const ctx = useSandbox();
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => browser?.close());

const checked: Array<[string, string[]]> = [];

describe("the SECAS console's register of SEC Users", () => {
  it('registers a User, keys it, rotates, suspends, reinstates and offboards it through the forms; the User files with its key', async () => {
    const consoleUrl = ctx.sandbox.consoleUrl;
    const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
    const problems = pageProblems(page);
    // axe is injected as a script, which the console's CSP forbids: each page's markup is checked in a context without it.
    const axeContext = await browser.newContext({ bypassCSP: true, viewport: { width: 1300, height: 900 } });
    const axePage = await axeContext.newPage();
    const check = async (kind: string, failed = false) => {
      const markup = await page.content();
      checked.push([kind, [...(await axeViolationsOfMarkup(axePage, `${consoleUrl}/users`, markup)), ...conventionBreaks(markup, { failed })]]);
    };
    const submit = () => Promise.all([page.waitForEvent('load'), page.click('button[type="submit"]')]);
    const cellsOf = async (kid: string) =>
      (await page
        .locator('tr', { has: page.locator('td', { hasText: kid }) })
        .first()
        .textContent()) ?? '';

    // The home page links to the register, which lists the demo clients.
    await page.goto(consoleUrl);
    await Promise.all([page.waitForEvent('load'), page.click('a[href="/users"]')]);
    expect(await page.textContent('h1')).toBe('SEC Users');
    expect(await page.textContent('main')).toContain('Northwold Energy (demo SEC User)');
    await check('SEC Users');

    // Register.
    await Promise.all([page.waitForEvent('load'), page.click('a[href="/users/new"]')]);
    await check('register form');
    await page.fill('#name', 'Wash Energy');
    await page.fill('#secPartyId', 'WASH');
    await page.fill('#contactName', 'Sam Wash');
    await page.fill('#contactEmail', 'security@wash-energy.example.org');
    await page.fill('#contact2Name', 'Kim Wash');
    await page.fill('#contact2Email', 'kim@wash-energy.example.org');
    // A third contact's address without a name: refused by the API, pointed at the field.
    await page.fill('#contact3Email', 'ops@wash-energy.example.org');
    await page.fill('#officer', 'Ada Lovelace');
    await submit();
    expect(await page.textContent('.govuk-error-summary a[href="#contact3Name"]')).toBeTruthy();
    await check('register form shown again', true);
    await page.fill('#contact3Name', 'Wash Operations');
    await submit();
    const clientId = /\/users\/([a-z0-9]{26})$/.exec(page.url())?.[1] as string;
    expect(clientId).toBeDefined();
    expect(await page.textContent('h1')).toBe('Wash Energy');
    expect(await page.textContent('main')).toContain('No key yet');
    expect(await page.textContent('main')).toMatch(
      /Sam Wash \(security@wash-energy\.example\.org\)\s*Kim Wash \(kim@wash-energy\.example\.org\)\s*Wash Operations \(ops@wash-energy\.example\.org\)/,
    );
    expect(await cellsOf('Registered')).toContain('Ada Lovelace');
    await check('a User, just registered');

    // A private key, a PEM that is no key: each refused with the API's words, linked to the field; nothing added.
    const first = generateClientKey();
    await page.click(`a[href="/users/${clientId}/keys/new"]`);
    await page.waitForSelector('#publicKey');
    await check('add-key form');
    await page.fill('#kid', 'wash-2026-1');
    await page.fill('#publicKey', first.privateKeyPem);
    await page.fill('#officer', 'Ada Lovelace');
    await submit();
    expect(await page.title()).toMatch(/^Error: /);
    expect(await page.textContent('.govuk-error-summary a[href="#publicKey"]')).toContain('This is a private key');
    expect(await page.textContent('#publicKey-error')).toContain('This is a private key');
    expect(await page.inputValue('#kid')).toBe('wash-2026-1');
    await screenshot(page, 'secas-console-key-refused');
    await check('add-key form refused (422)', true);
    await page.fill('#publicKey', '-----BEGIN PUBLIC KEY-----\nbm90IGEga2V5\n-----END PUBLIC KEY-----');
    await submit();
    expect(await page.textContent('.govuk-error-summary a[href="#publicKey"]')).toContain('could not be read as a public key');
    // The real public key.
    await page.fill('#publicKey', first.publicKeyPem);
    await submit();
    expect(page.url()).toBe(`${consoleUrl}/users/${clientId}`);
    expect(await cellsOf('wash-2026-1')).toMatch(/ES256\s*active/);
    await check('a User with a key');

    // The User, with the key the console registered, gets a token and files.
    const key = { clientId, privateKeyPem: first.privateKeyPem, kid: 'wash-2026-1' };
    const { accessToken } = await requestAccessToken(key, ctx.sandbox.apiUrl);
    const filed = await postJson(ctx.sandbox.apiUrl, '/notifications', uniqueNotification(), { Authorization: `Bearer ${accessToken}` });
    expect(filed.status).toBe(201);

    // A kid used before: the API's conflict, beside the kid. Then the second key, as a JWK.
    const { publicKey } = generateKeyPairSync('ed25519');
    await page.click(`a[href="/users/${clientId}/keys/new"]`);
    await page.waitForSelector('#publicKey');
    await page.fill('#kid', 'wash-2026-1');
    await page.fill('#publicKey', JSON.stringify(publicKey.export({ format: 'jwk' })));
    await page.fill('#officer', 'Ada Lovelace');
    await submit();
    expect(await page.textContent('.govuk-error-summary a[href="#kid"]')).toContain('never reused');
    await check('add-key form refused (409)', true);
    await page.fill('#kid', 'wash-2026-2');
    await submit();
    expect(await cellsOf('wash-2026-2')).toMatch(/EdDSA\s*active/);
    expect(await page.textContent('main')).toContain('Two keys are active');

    // Retire the first.
    await page.click(`a[href="/users/${clientId}/keys/wash-2026-1/retire"]`);
    await page.waitForSelector('#officer');
    expect(await page.textContent('h1')).toBe('Retire key wash-2026-1: Wash Energy');
    await check('retire form');
    await page.fill('#officer', 'Grace Hopper');
    await page.fill('#reason', 'Rotated to wash-2026-2');
    await submit();
    expect(await cellsOf('wash-2026-1')).toMatch(/ES256\s*retired/);
    await expect(requestAccessToken(key, ctx.sandbox.apiUrl)).rejects.toThrow(/401/);

    // Suspend (the token endpoint refuses it at once), reinstate.
    await page.click(`a[href="/users/${clientId}/suspend"]`);
    await page.waitForSelector('#officer');
    await check('suspend form');
    await page.fill('#officer', 'Grace Hopper');
    await submit();
    expect(await page.textContent('.govuk-summary-list')).toContain('suspended');
    await page.click(`a[href="/users/${clientId}/reinstate"]`);
    await page.waitForSelector('#officer');
    await check('reinstate form');
    await page.fill('#officer', 'Grace Hopper');
    await submit();
    expect(await page.textContent('.govuk-summary-list')).toContain('active');

    // Offboard: a second step says it cannot be undone; only its button offboards.
    await page.click(`a[href="/users/${clientId}/offboard"]`);
    await page.waitForSelector('#officer');
    await check('offboard form');
    await page.fill('#officer', 'Grace Hopper');
    await page.fill('#reason', 'Left the SEC');
    await submit();
    expect(await page.textContent('h1')).toBe('Are you sure you want to offboard Wash Energy?');
    expect(await page.textContent('.govuk-warning-text')).toContain('This cannot be undone');
    const stillActive = (await (
      await fetch(`${ctx.sandbox.apiUrl}/clients/${clientId}`, { headers: { Authorization: ctx.sandbox.credentials.secas.authorization } })
    ).json()) as {
      status: string;
    };
    expect(stillActive.status).toBe('active');
    await screenshot(page, 'secas-console-offboard-confirm');
    await check('offboard confirmation');
    await submit();
    expect(await page.textContent('.govuk-summary-list')).toContain('offboarded');
    expect(await cellsOf('wash-2026-2')).toMatch(/EdDSA\s*retired/);
    const trail = await page.locator('table', { has: page.locator('caption', { hasText: 'Audit trail' }) }).textContent();
    for (const [what, who] of [
      ['Registered', 'Ada Lovelace'],
      ['Key added', 'Ada Lovelace'],
      ['Key retired', 'Grace Hopper'],
      ['Suspended', 'Grace Hopper'],
      ['Reinstated', 'Grace Hopper'],
      ['Offboarded', 'Grace Hopper'],
    ])
      expect(trail).toMatch(new RegExp(`${what}${who}`));
    expect(trail).toContain('Left the SEC');
    expect(trail).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(await page.locator(`a[href="/users/${clientId}/suspend"]`).count()).toBe(0);
    expect(await page.locator(`a[href="/users/${clientId}/keys/new"]`).count()).toBe(0);
    await screenshot(page, 'secas-console-user-offboarded');
    await check('an offboarded User');

    process.stdout.write(`axe-core and page conventions: ${checked.length} console pages, ${checked.reduce((n, [, v]) => n + v.length, 0)} violations\n`);
    expect(checked.filter(([, violations]) => violations.length)).toEqual([]);
    // The four refusals are answered 422 (the register form), 422, 422 and 409 (Chromium logs each); nothing else failed.
    expect(problems.filter((p) => !/status of (422|409) .*\/(keys|users)\/new\)$/.test(p))).toEqual([]);
    expect(problems).toHaveLength(4);
  }, 90_000);

  it('takes a form only from its own pages: no Origin, another Origin or no token is refused and changes nothing', async () => {
    const consoleUrl = ctx.sandbox.consoleUrl;
    const secas = { Authorization: ctx.sandbox.credentials.secas.authorization };
    const before = await (await fetch(`${ctx.sandbox.apiUrl}/clients`, { headers: secas })).text();
    const form = await (await fetch(`${consoleUrl}/users/new`)).text();
    const token = /name="csrf" value="([^"]+)"/.exec(form)?.[1] as string;
    const fields = { name: 'Forged Power', secPartyId: 'FRGD', contactName: 'Eve', contactEmail: 'eve@example.org', officer: 'Eve' };
    const post = (headers: Record<string, string>, body: Record<string, string>) =>
      fetch(`${consoleUrl}/users/new`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
        body: new URLSearchParams(body),
      });
    expect((await post({}, { ...fields, csrf: token })).status).toBe(403);
    expect((await post({ Origin: 'http://attacker.example' }, { ...fields, csrf: token })).status).toBe(403);
    expect((await post({ Origin: new URL(consoleUrl).origin }, fields)).status).toBe(403);
    expect((await post({ Origin: new URL(consoleUrl).origin }, { ...fields, csrf: `${token[0] === 'A' ? 'B' : 'A'}${token.slice(1)}` })).status).toBe(403);
    expect(await (await fetch(`${ctx.sandbox.apiUrl}/clients`, { headers: secas })).text()).toBe(before);
    // The same, from the console's own page: registered.
    const accepted = await post({ Origin: new URL(consoleUrl).origin }, { ...fields, csrf: token });
    expect(accepted.status).toBe(303);
    expect(accepted.headers.get('location')).toMatch(/^\/users\/[a-z0-9]{26}$/);
    expect((await fetch(`${consoleUrl}/users/aaaaaaaaaaaaaaaaaaaaaaaaaa`)).status).toBe(404);
    const registered = accepted.headers.get('location') as string;
    expect((await fetch(`${consoleUrl}${registered}/keys/no-such-key/retire`)).status).toBe(404);
    expect((await fetch(`${consoleUrl}${registered}`)).status).toBe(200);
  });
});
