import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StoredNotice } from '../../functions/domain/case';
import { RetentionScheduleChange, defaultRetentionSchedule, retentionScheduleErrors } from '../../functions/domain/retention';
import { uniqueNotification } from '../support/fixtures';
import { applied, hostileString, mutations, parsed } from '../support/hostile-bodies';
import { useSandbox, waitForEmail } from '../support/sandbox';

/**
 * Hostile bodies to the routes that change the retention schedule and amend a notice, as intake's
 * and the registers' (intake-hardening, register-hardening, ssc-members): no answer is a 5xx; a
 * refusal is a problem document and changes nothing; only what the schema takes is recorded.
 */
const ctx = useSandbox();
const officer = 'Ada Lovelace';

describe('hostile bodies', () => {
  it('to POST /retention-schedule: never a 5xx, a refusal changes nothing, a change is a schedule the rules take', async () => {
    const secas = ctx.api('secas');
    const state = async () => JSON.stringify(await (await secas.get('/retention-schedule')).json());
    const seen = { changed: 0, refused: 0 };
    const months = fc.oneof(fc.integer({ min: -5, max: 1300 }), fc.constantFrom(23, 24, 84, 1200, 1201));
    const schedule = fc.record(Object.fromEntries(Object.keys(defaultRetentionSchedule).map((c) => [c, months])));
    const bodies = fc.oneof(
      mutations(['schedule', 'officer', 'reason'], hostileString()).map((m) => applied({ schedule: defaultRetentionSchedule, officer, reason: 'Fuzz' }, m)),
      schedule.map((s) => JSON.stringify({ schedule: s, officer, reason: 'Fuzz' })),
    );
    await fc.assert(
      fc.asyncProperty(bodies, async (text) => {
        const before = await state();
        const response = await secas.fetch('/retention-schedule', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: text });
        expect(response.status).toBeLessThan(500);
        const body = parsed(text) as { schedule?: unknown } | undefined;
        if (response.status === 200) {
          expect(RetentionScheduleChange.safeParse(body).success).toBe(true);
          expect(retentionScheduleErrors(body?.schedule)).toEqual([]);
          expect(await state()).not.toBe(before);
          seen.changed += 1;
        } else {
          expect(response.headers.get('content-type')).toContain('application/problem+json');
          expect(await state()).toBe(before);
          seen.refused += 1;
        }
      }),
      { numRuns: 80 },
    );
    process.stdout.write(`retention schedule hostile bodies: ${JSON.stringify(seen)}\n`);
    expect(seen.changed).toBeGreaterThan(0);
    expect(seen.refused).toBeGreaterThan(0);
  }, 120_000);

  it('to PATCH /notifications/{reference}: never a 5xx, a refusal changes nothing, an amendment leaves a notice the schema takes', async () => {
    const filed = await ctx.api().post('/notifications', uniqueNotification());
    expect(filed.status).toBe(201);
    const { reference } = (await filed.json()) as { reference: string };
    await waitForEmail(ctx.sandbox.sesUrl, ctx.sscAddress, `SSC decision needed: ${reference}`);
    const read = async () => {
      const response = await ctx.api().get(`/notifications/${reference}`);
      return { etag: response.headers.get('etag') as string, notification: ((await response.json()) as { notification: unknown }).notification };
    };
    const seen = { amended: 0, refused: 0 };
    let n = 0;
    await fc.assert(
      fc.asyncProperty(mutations(['newUserSystem', 'contact', 'party', 'existingUserSystem'], hostileString('a@b', 'x@example.org\r\nBcc: y@z')), async (m) => {
        n += 1;
        const text = applied({ newUserSystem: { name: `Fuzz portal ${n}` } }, m);
        const before = await read();
        const response = await ctx.api().fetch(`/notifications/${reference}`, {
          method: 'PATCH',
          headers: { 'Content-Type': 'application/merge-patch+json', 'If-Match': before.etag },
          body: text,
        });
        expect(response.status).toBeLessThan(500);
        const after = await read();
        if (response.status === 200) {
          expect(StoredNotice.safeParse(after.notification).success).toBe(true);
          expect(Number(JSON.parse(after.etag))).toBeGreaterThanOrEqual(Number(JSON.parse(before.etag)));
          seen.amended += 1;
        } else {
          expect(response.headers.get('content-type')).toContain('application/problem+json');
          expect(after).toEqual(before);
          seen.refused += 1;
        }
      }),
      { numRuns: 60 },
    );
    process.stdout.write(`amendment hostile bodies: ${JSON.stringify(seen)}\n`);
    expect(seen.amended).toBeGreaterThan(0);
    expect(seen.refused).toBeGreaterThan(0);
  }, 240_000);
});
