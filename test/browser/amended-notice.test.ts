import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addWorkingDays, londonDate } from '../../functions/domain/working-days';
import { axeViolations, followEmailLink, launchBrowser, screenshot } from '../support/browser';
import { conventionBreaks } from '../support/page-conventions';
import { useWorkflow } from '../support/workflow';

/**
 * The SSC's page of an amended notice in a real browser: what the User changed, field by field,
 * under axe-core (WCAG 2.2 A/AA); and the page a member meets who confirms on a page shown before
 * a later amendment: a clear refusal, nothing decided. axe needs its script injected, so the
 * context bypasses the pages' CSP, as in accessibility.test.ts.
 */
const w = useWorkflow({ ownInbox: true });
let browser: Browser;
let context: BrowserContext;
beforeAll(async () => {
  browser = await launchBrowser();
  context = await browser.newContext({ bypassCSP: true, viewport: { width: 1200, height: 900 } });
});
afterAll(async () => browser?.close());

const amend = async (reference: string, version: number, patch: unknown) => {
  const response = await w.ctx.api().fetch(`/notifications/${reference}`, {
    method: 'PATCH',
    headers: { 'Content-Type': 'application/merge-patch+json', 'If-Match': `"${version}"` },
    body: JSON.stringify(patch),
  });
  expect(response.status).toBe(200);
};

describe('an amended notice in a browser', () => {
  it('shows the SSC what changed, and refuses a decision from a page shown before a later amendment', async () => {
    const { reference } = await w.submit();
    await w.sscEmail(reference);
    const liveOn = addWorkingDays(londonDate(new Date()), 200);
    await amend(reference, 1, { newUserSystem: { plannedLiveOn: liveOn, purpose: 'A portal for Non-Domestic customers, now with half-hourly data.' } });
    await w.sscEmail(reference, 2);

    const inbox = await context.newPage();
    const page = await followEmailLink(
      inbox,
      w.ctx.sandbox.sesUrl,
      `[AMENDED] SSC decision needed: ${reference}`,
      'Require an ad-hoc User Security Assessment',
    );
    const text = await page.textContent('main');
    expect(text).toContain('What the User amended');
    expect(text).toContain('Version 2, amended');
    expect(text).toContain('/newUserSystem/purpose');
    expect(text).toContain('now with half-hourly data');
    // Dates in words, as on every page.
    expect(text).not.toContain(liveOn);
    await screenshot(page, 'ssc-amended-notice');
    expect(conventionBreaks(await page.content())).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);

    // The User amends again while the page is open: confirming on it decides nothing.
    await amend(reference, 2, { newUserSystem: { name: 'Harbour Portal (revised)' } });
    await w.sscEmail(reference, 3);
    await page.fill('input[name="decidedBy"]', 'Mairéad Ní Bhriain');
    await page.fill('input[name="caseReference"]', reference);
    await Promise.all([page.waitForLoadState('load'), page.click('button[type="submit"]')]);
    expect(await page.textContent('h1')).toBe('The notice has been amended');
    expect(await page.textContent('main')).toContain('Nothing has been changed');
    await screenshot(page, 'ssc-decision-refused-after-amendment');
    expect(conventionBreaks(await page.content())).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
    const c = await w.getCase(reference);
    expect(c.status).toBe('AwaitingSscDecision');
    expect(c.sscDecision).toBeUndefined();

    // The case file, as SECAS's console shows it: each amendment, every version of each field.
    const file = await context.newPage();
    await file.goto(`${w.ctx.sandbox.consoleUrl}/cases/${reference}/file`);
    const main = await file.textContent('main');
    expect(main).toContain('Amendments to the notice');
    expect(main).toContain('The notice above is version 3');
    expect(main).toContain('Version 2, amended');
    expect(main).toContain('Version 3, amended');
    expect(main).toContain('Now: Harbour Portal (revised)');
    expect(main).toContain('Notice amended by the User');
    await screenshot(file, 'case-file-amended');
    expect(conventionBreaks(await file.content())).toEqual([]);
    expect(await axeViolations(file)).toEqual([]);
  }, 60_000);
});
