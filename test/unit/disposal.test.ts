import { describe, expect, it } from 'vitest';
import { type CaseDisposal, CaseDisposal as CaseDisposalSchema, caseGone } from '../../functions/domain/disposal';
import { PROBLEM_TYPE_BASE } from '../../functions/domain/problem';
import { type RetentionSchedule, classesDue, decisionRecordDue, defaultRetentionSchedule } from '../../functions/domain/retention';

const schedule = (decisionRecord: number): RetentionSchedule => ({ ...defaultRetentionSchedule, decisionRecord });

describe("the decision record's period", () => {
  it('runs out from the London day the period ends, counted in whole months from the day the case ended', () => {
    const ended = '2026-02-10T10:00:00Z';
    expect(decisionRecordDue(defaultRetentionSchedule, ended, new Date('2033-02-09T23:59:59Z'))).toBe(false);
    expect(decisionRecordDue(defaultRetentionSchedule, ended, new Date('2033-02-10T00:00:00Z'))).toBe(true);
    expect(decisionRecordDue(defaultRetentionSchedule, ended, new Date('2040-01-01T00:00:00Z'))).toBe(true);
  });

  it('ends on the last day of a shorter month when the case ended on a day that month lacks', () => {
    // 85 months after 31 January 2026 is February 2033, which has 28 days.
    expect(decisionRecordDue(schedule(85), '2026-01-31T12:00:00Z', new Date('2033-02-27T23:59:00Z'))).toBe(false);
    expect(decisionRecordDue(schedule(85), '2026-01-31T12:00:00Z', new Date('2033-02-28T00:00:00Z'))).toBe(true);
    // 91 months after 31 August 2026 is March 2034, which has 31: no clamping there.
    expect(decisionRecordDue(schedule(91), '2026-08-31T12:00:00Z', new Date('2034-03-30T12:00:00Z'))).toBe(false);
    expect(decisionRecordDue(schedule(91), '2026-08-31T12:00:00Z', new Date('2034-03-31T00:00:00Z'))).toBe(true);
  });

  it('counts from a leap day to the 28th of a common year, and to the 29th of a leap one', () => {
    expect(decisionRecordDue(defaultRetentionSchedule, '2028-02-29T09:00:00Z', new Date('2035-02-27T23:59:59Z'))).toBe(false);
    expect(decisionRecordDue(defaultRetentionSchedule, '2028-02-29T09:00:00Z', new Date('2035-02-28T00:00:00Z'))).toBe(true);
    expect(decisionRecordDue(schedule(96), '2024-02-29T09:00:00Z', new Date('2032-02-28T23:59:59Z'))).toBe(false);
    expect(decisionRecordDue(schedule(96), '2024-02-29T09:00:00Z', new Date('2032-02-29T00:00:00Z'))).toBe(true);
  });

  it("takes both days in London's time: a case ended after midnight in British Summer Time ended the next day", () => {
    // 23:30 UTC on 31 May 2026 is 00:30 on 1 June in London: 84 months on is 1 June 2033, which begins at 23:00 UTC on 31 May.
    const ended = '2026-05-31T23:30:00Z';
    expect(decisionRecordDue(defaultRetentionSchedule, ended, new Date('2033-05-31T22:59:59Z'))).toBe(false);
    expect(decisionRecordDue(defaultRetentionSchedule, ended, new Date('2033-05-31T23:00:00Z'))).toBe(true);
    // In winter London is on UTC: 23:30 UTC on 30 November is still that day.
    expect(decisionRecordDue(defaultRetentionSchedule, '2026-11-30T23:30:00Z', new Date('2033-11-30T23:59:59Z'))).toBe(true);
    expect(decisionRecordDue(defaultRetentionSchedule, '2026-11-30T23:30:00Z', new Date('2033-11-29T23:59:59Z'))).toBe(false);
  });

  it('is never due before every personal class is: by then each has been erased', () => {
    const ended = '2026-03-15T10:00:00Z';
    const dueDay = new Date('2033-03-15T00:00:00Z');
    expect(decisionRecordDue(defaultRetentionSchedule, ended, dueDay)).toBe(true);
    expect(classesDue(defaultRetentionSchedule, ended, dueDay)).toEqual(['contact', 'typedNames', 'freeTexts', 'emails']);
  });
});

describe('a disposed case, to its owner and SECAS', () => {
  const disposal: CaseDisposal = {
    reference: 'SUS-XGEKB-2026-0001',
    finalStatus: 'Closed',
    endedAt: '2026-05-31T23:30:00Z',
    disposedAt: '2033-06-01T02:00:00Z',
    retention: { months: 84, source: 'default' },
    finalHead: { seq: 17, hash: 'h17', events: 17 },
    anchored: { seq: 16, hash: 'h16', at: '2033-05-31T01:00:00Z' },
  };

  it('is a 410 problem saying when, under which schedule and period, with its final head as an extension member', () => {
    const problem = caseGone(disposal);
    expect(problem.status).toBe(410);
    const document = problem.toDocument('/notifications/SUS-XGEKB-2026-0001');
    expect(document).toMatchObject({ type: `${PROBLEM_TYPE_BASE}gone`, status: 410, title: 'Disposed of', disposal });
    expect(document.detail).toBe(
      "Case SUS-XGEKB-2026-0001 was disposed of on 1 June 2033 at the end of its decision record's retention period under the deployment's default retention schedule: 84 months after it ended on 1 June 2026. Its history was verified before (final event 17).",
    );
    expect(CaseDisposalSchema.parse(document.disposal)).toEqual(disposal);
  });

  it("names SECAS's schedule and its version when it was SECAS's", () => {
    const detail = caseGone({ ...disposal, retention: { months: 96, source: 'secas', version: 3 } }).message;
    expect(detail).toContain("under SECAS's retention schedule (version 3): 96 months after it ended on 1 June 2026");
  });

  it('holds no field for personal data: the record is strict', () => {
    expect(() => CaseDisposalSchema.parse({ ...disposal, contact: { name: 'A Person' } })).toThrow();
  });
});
