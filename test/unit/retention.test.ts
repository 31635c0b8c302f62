import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../functions/domain/history-chain';
import {
  ERASURE_EVENT,
  LONGEST_OPEN_CASE_MONTHS,
  MAX_RETENTION_MONTHS,
  RetentionSchedule,
  caseEndedAt,
  classesDue,
  defaultRetentionSchedule,
  receivedBy,
  retentionReasons,
  retentionScheduleErrors,
} from '../../functions/domain/retention';
import { parseRetention } from '../../infra/app-context';

const event = (at: string, type = 'Something'): StoredEvent => ({ at, type, actor: { kind: 'System', id: 'Test' } });

describe('the retention schedule', () => {
  it('has documented defaults that it takes itself, with a reason for every class', () => {
    expect(RetentionSchedule.parse(defaultRetentionSchedule)).toEqual(defaultRetentionSchedule);
    expect(retentionScheduleErrors(defaultRetentionSchedule)).toEqual([]);
    for (const reason of Object.values(retentionReasons)) expect(reason).toMatch(/Art\. 5\(1\)\(e\)|Art\. 17\(3\)\(b\)/);
    expect(retentionReasons.decisionRecord).toMatch(/SECCo's data-retention policy/);
    expect(retentionReasons.contact).toMatch(/SEC Party plus 6 months/);
  });

  it.each([
    [{ contact: LONGEST_OPEN_CASE_MONTHS - 1 }, '/contact', /shorter than the longest a case can stay open/],
    [{ emails: 0 }, '/emails', /would erase before a case could end/],
    [{ decisionRecord: MAX_RETENTION_MONTHS + 1 }, '/decisionRecord', /that is never/],
    [{ freeTexts: null }, '/freeTexts', /kept for ever is never erased/],
    [{ typedNames: 30.5 }, '/typedNames', /whole number of months/],
    [{ typedNames: 90 }, '/typedNames', /longer than the decision record's 84/],
    [{ emails: 36 }, '/emails', /longer than the contact's data \(24\)/],
    [{ forever: 12 }, '/forever', /not a record class/],
  ])('refuses %j at %s with the reason', (change, pointer, reason) => {
    const errors = retentionScheduleErrors({ ...defaultRetentionSchedule, ...change });
    expect(errors).toEqual([{ pointer, message: expect.stringMatching(reason) }]);
  });

  it('refuses a schedule at synth with the reason, and takes partial context over the defaults', () => {
    expect(parseRetention(undefined)).toEqual(defaultRetentionSchedule);
    expect(parseRetention('{"contact":36,"emails":30}')).toEqual({ ...defaultRetentionSchedule, contact: 36, emails: 30 });
    expect(() => parseRetention({ contact: 6 })).toThrow(/context retention: contact 6 months is shorter than the longest a case can stay open/);
    expect(() => parseRetention({ decisionRecord: 5000 })).toThrow(/context retention: decisionRecord 5000 months .* never/);
    expect(() => parseRetention('[1]')).toThrow(/context retention/);
  });

  it('dates a case by its last event once it has ended, never while open, and not by its own erasures', () => {
    const history = [event('2026-01-05T10:00:00.000Z'), event('2026-02-10T10:00:00.000Z', 'CaseClosed'), event('2029-03-01T02:00:00.000Z', ERASURE_EVENT)];
    expect(caseEndedAt({ status: 'Closed', history })).toBe('2026-02-10T10:00:00.000Z');
    expect(caseEndedAt({ status: 'AwaitingSscDecision', history })).toBeUndefined();
  });

  it('finds the classes due by their periods from the day the case ended, and not those erased already', () => {
    const schedule = { ...defaultRetentionSchedule, emails: 24, contact: 30, freeTexts: 24 };
    const ended = '2026-02-10T10:00:00.000Z';
    expect(classesDue(schedule, ended, new Date('2028-02-09T12:00:00Z'))).toEqual([]);
    expect(classesDue(schedule, ended, new Date('2028-02-10T08:00:00Z'))).toEqual(['freeTexts', 'emails']);
    expect(classesDue(schedule, ended, new Date('2028-08-10T08:00:00Z'), ['emails'])).toEqual(['contact', 'freeTexts']);
    expect(classesDue(schedule, ended, new Date('2032-02-10T08:00:00Z'))).toEqual(['contact', 'typedNames', 'freeTexts', 'emails']);
    // Only cases received by then can have ended long enough ago: the shortest personal period back.
    expect(receivedBy(schedule, new Date('2028-02-10T08:00:00Z'))).toBe('2026-02-10');
  });
});
