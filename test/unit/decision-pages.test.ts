import { describe, expect, it } from 'vitest';
import type { CaseStatus } from '../../functions/domain/case';
import { adviceCorrection, movedOnReason, refusalPage } from '../../functions/domain/decision-pages';
import { caseRecord } from '../support/fixtures';

describe('a decision link whose case has moved on', () => {
  it.each<[CaseStatus, Parameters<typeof caseRecord>[1], RegExp]>([
    ['AwaitingUserInformation', {}, /asked the User a question.*fresh decision email/],
    ['AwaitingSscDecision', {}, /newer decision email/],
    ['SscDecisionOverdue', {}, /ended overdue/],
    ['UserInformationOverdue', {}, /did not answer .* ended overdue/],
    ['Withdrawn', { withdrawal: { at: '2026-12-01T10:00:00.000Z', reason: '' } }, /withdrew the notification on 2026-12-01/],
    ['AwaitingSscDecision', { withdrawal: { at: '2026-12-02T10:00:00.000Z', reason: '' } }, /withdrew the notification on 2026-12-02/],
    ['DeferredToAnnualReview', { sscDecision: { kind: 'DeferToAnnualReview', advice: '', decidedAt: '2026-12-03T10:00:00.000Z', decisionId: 'd' } }, /already decided this case on 2026-12-03: No further assessment/],
    ['Closed', { sscDecision: { kind: 'AdHocAssessment', advice: '', decidedAt: '2026-12-04T10:00:00.000Z', decisionId: 'd' } }, /already decided .* ad-hoc/],
  ])('when %s, says so', (status, extra, reason) => {
    const c = caseRecord(() => {}, { ...extra, status });
    expect(movedOnReason(c)).toMatch(reason);
    expect(refusalPage('moved-on', undefined, c)).toMatch(/Nothing has been changed/);
  });

  it('never claims a withdrawal, closure or timeout it cannot see', () => {
    expect(movedOnReason(undefined)).toBe('The case is no longer waiting for this decision.');
  });
});

describe("the SSC's text", () => {
  it('is required for a question and optional advice otherwise, and bounded', () => {
    expect(adviceCorrection('MoreInformationNeeded', '')).toMatch(/Write the question/);
    expect(adviceCorrection('MoreInformationNeeded', 'Which CIO?')).toBeUndefined();
    expect(adviceCorrection('DeferToAnnualReview', '')).toBeUndefined();
    expect(adviceCorrection('AdHocAssessment', 'é'.repeat(5001))).toMatch(/at most 5000 characters; it has 5001/);
  });
});
