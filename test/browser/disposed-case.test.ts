import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultRetentionSchedule } from '../../functions/domain/retention';
import { dateInWords } from '../../functions/domain/wording';
import { addMonths, londonDate, londonInstant } from '../../functions/domain/working-days';
import type { ErasureRun } from '../../functions/use-cases/retention';
import { conventionBreaks } from '../support/page-conventions';
import { axeViolations, launchBrowser } from '../support/browser';
import { useWorkflow } from '../support/workflow';

/**
 * A case disposed of at the end of its decision record's period, opened from the SECAS console as
 * its case file and as its page: the console says it was disposed of, when and under what (the API's 410 problem,
 * dates in words), on a page that keeps GOV.UK's conventions and that axe-core finds nothing on.
 */
const w = useWorkflow();
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => browser?.close());

describe('a disposed case in the console', () => {
  it('says the case was disposed of, when and under what, on a page that passes axe-core', async () => {
    const { reference } = await w.submit();
    await w.decide(reference, 'out-of-scope', 'Not a User System.');
    await w.waitForStatus(reference, 'OutOfScope');
    await w.finished(reference);
    await w.ctx.sandbox.runScheduledTask('AnchorCaseHistories');
    const at = londonInstant(addMonths(londonDate(new Date()), defaultRetentionSchedule.decisionRecord + 1), '03:00');
    expect((await w.ctx.sandbox.runScheduledTask('EraseExpiredPersonalData', at)) as ErasureRun).toMatchObject({ disposed: 1, unverifiable: 0 });

    // axe is injected as a script, which the console's CSP refuses: this context bypasses it, for the check only.
    const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    const response = await page.goto(`${w.ctx.sandbox.consoleUrl}/cases/${reference}/file`);
    expect(response?.status()).toBe(410);
    expect(await page.textContent('h1')).toBe('Disposed of');
    const text = (await page.textContent('main')) ?? '';
    expect(text).toContain(`Case ${reference} was disposed of on ${dateInWords(londonDate(at))} `);
    expect(text).toMatch(/84 months after it ended on \d{1,2} [A-Z][a-z]+ \d{4}/);
    expect(conventionBreaks(await page.content())).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
    // Its console page says the same, where a case's page was.
    const casePage = await page.goto(`${w.ctx.sandbox.consoleUrl}/cases/${reference}`);
    expect(casePage?.status()).toBe(410);
    expect(await page.textContent('h1')).toBe('Disposed of');
    expect(await page.textContent('main')).toContain(`Case ${reference} was disposed of on ${dateInWords(londonDate(at))} `);
    // A reference never issued is still no case.
    const never = await page.goto(`${w.ctx.sandbox.consoleUrl}/cases/${reference.replace(/\d{4}$/, '9999')}`);
    expect(never?.status()).toBe(404);
    await context.close();
  }, 90_000);
});
