import { describe, expect, it } from 'vitest';
import {
  type ReportCase,
  ServiceReport,
  computeReport,
  firstWorkingDayOfQuarter,
  quarterBefore,
  quarterOf,
  rangeErrors,
  receivedBetween,
} from '../../functions/domain/service-report';
import { reportCsv, reportEmail, reportPage } from '../../functions/domain/service-report-formats';
import { workingDaysBetween } from '../../functions/domain/working-days';
import { DYNAMODB_READ_REQUEST_UNIT, reportCost } from '../../infra/tools/cost-model';

/**
 * The second quarter of 2026, by hand. Its bank holidays: Good Friday 3 April, Easter Monday
 * 6 April, 4 May, 25 May. Times are UTC; in BST a London day starts at 23:00 UTC the day before.
 */
const base = { late: false, informationRounds: 0, exchanges: [] } as const;
const cases: ReportCase[] = [
  // Thursday 2 April to Tuesday 7 April: Good Friday, the weekend and Easter Monday between, so 1 Working Day.
  {
    ...base,
    reference: 'A',
    status: 'DeferredToAnnualReview',
    partyCategory: 'LargeSupplier',
    receivedAt: '2026-04-02T09:00:00.000Z',
    sscDecision: { kind: 'DeferToAnnualReview', decidedAt: '2026-04-07T10:00:00.000Z' },
  },
  // Friday 1 May to Friday 8 May, over the 4 May bank holiday: 4. Late; assessed and approved.
  {
    ...base,
    reference: 'B',
    status: 'Closed',
    late: true,
    partyCategory: 'SmallSupplier',
    receivedAt: '2026-05-01T08:00:00.000Z',
    sscDecision: { kind: 'AdHocAssessment', decidedAt: '2026-05-08T15:00:00.000Z' },
    assessment: { outcome: { assuranceStatus: 'Approved' } },
  },
  // Monday 18 May to Wednesday 3 June, over 25 May: 4 + 4 + 3 = 11. Late; one question, Tuesday 19 to Friday 22 May: 3.
  {
    ...base,
    reference: 'C',
    status: 'OutOfScope',
    late: true,
    partyCategory: 'LargeSupplier',
    receivedAt: '2026-05-18T10:00:00.000Z',
    sscDecision: { kind: 'OutOfScope', decidedAt: '2026-06-03T10:00:00.000Z' },
    informationRounds: 1,
    exchanges: [{ askedAt: '2026-05-19T10:00:00.000Z', answeredAt: '2026-05-22T16:00:00.000Z' }],
  },
  // Awaiting the SSC.
  { ...base, reference: 'D', status: 'AwaitingSscDecision', partyCategory: 'ElectricityNetwork', receivedAt: '2026-06-10T10:00:00.000Z' },
  // Two questions: the first answered the next day (1), the second never: ended overdue for the User's answer, undecided.
  {
    ...base,
    reference: 'E',
    status: 'UserInformationOverdue',
    partyCategory: 'Other',
    receivedAt: '2026-06-15T10:00:00.000Z',
    sscDecision: { kind: 'MoreInformationNeeded', decidedAt: '2026-06-17T10:00:00.000Z' },
    informationRounds: 2,
    exchanges: [{ askedAt: '2026-06-15T12:00:00.000Z', answeredAt: '2026-06-16T09:00:00.000Z' }],
  },
  // Monday 20 to Tuesday 21 April: 1. Awaiting the assessment's outcome (SECAS's move).
  {
    ...base,
    reference: 'F',
    status: 'AwaitingAssessmentOutcome',
    partyCategory: 'GasNetwork',
    receivedAt: '2026-04-20T10:00:00.000Z',
    sscDecision: { kind: 'AdHocAssessment', decidedAt: '2026-04-21T10:00:00.000Z' },
  },
];
const q2 = { from: '2026-04-01', to: '2026-06-30' };
const now = new Date('2026-07-01T08:00:00.000Z');

describe('Working Days between two dates', () => {
  it.each([
    ['2026-04-02', '2026-04-07', 1, 'Good Friday and Easter Monday between'],
    ['2026-05-01', '2026-05-08', 4, 'over the Early May bank holiday'],
    ['2026-05-18', '2026-06-03', 11, 'over the Spring bank holiday'],
    ['2026-12-24', '2026-12-29', 1, 'Christmas Day, the weekend and the Boxing Day substitute between'],
    ['2026-06-10', '2026-06-10', 0, 'the same day'],
    ['2026-06-13', '2026-06-14', 0, 'a weekend'],
  ])('%s to %s: %i (%s)', (from, to, expected) => {
    expect(workingDaysBetween(from, to)).toBe(expected);
  });
});

describe('the service report', () => {
  const report = computeReport(q2, cases, now);

  it('is what its schema says', () => {
    expect(ServiceReport.parse(report)).toEqual(report);
  });

  it('counts notices on time and late, by party category', () => {
    expect(report.notices).toMatchObject({ total: 6, onTime: 4, late: 2 });
    expect(report.notices.byPartyCategory).toEqual({
      LargeSupplier: { total: 2, onTime: 1, late: 1 },
      SmallSupplier: { total: 1, onTime: 0, late: 1 },
      ElectricityNetwork: { total: 1, onTime: 1, late: 0 },
      GasNetwork: { total: 1, onTime: 1, late: 0 },
      Other: { total: 1, onTime: 1, late: 0 },
    });
  });

  it('measures notice to decision in Working Days over bank holidays: 1, 1, 4, 11 (a question is no decision)', () => {
    expect(report.timeToDecision).toEqual({ count: 4, medianWorkingDays: 2.5, p90WorkingDays: 11 });
  });

  it('counts each outcome, and the cases with none', () => {
    expect(report.decisions).toEqual({ byOutcome: { DeferToAnnualReview: 1, AdHocAssessment: 2, OutOfScope: 1 }, undecided: 2 });
  });

  it('counts questions and measures the answers: 1 and 3 Working Days', () => {
    expect(report.questions).toEqual({ asked: 3, answered: 2, unanswered: 1, answerTime: { count: 2, medianWorkingDays: 2, p90WorkingDays: 3 } });
  });

  it('counts overdue endings by wait, assessments by assurance status, open cases by whose move', () => {
    expect(report.overdueEndings).toEqual({ SscDecision: 0, UserInformation: 1, AssessmentSchedule: 0, AssessmentOutcome: 0 });
    expect(report.adHocAssessments).toEqual({
      total: 2,
      byAssuranceStatus: { Approved: 1, ApprovedSubjectTo: 0, Deferred: 0, Rejected: 0 },
      awaitingOutcome: 1,
      endedWithoutOutcome: 0,
    });
    expect(report.openCases).toEqual({ total: 3, byWhoseMove: { SSC: 1, User: 0, SECAS: 1, AnnualReview: 1, Workflow: 0 } });
  });

  it("takes an odd count's middle value as the median, and counts an assessment that ended with no outcome", () => {
    const ended: ReportCase = {
      ...base,
      reference: 'H',
      status: 'AssessmentScheduleOverdue',
      partyCategory: 'Other',
      // Decided the day it came (Wednesday 8 April, in BST: 23:30 UTC on the 7th is the 8th in London): 0.
      receivedAt: '2026-04-07T23:30:00.000Z',
      sscDecision: { kind: 'AdHocAssessment', decidedAt: '2026-04-08T16:00:00.000Z' },
    };
    const r = computeReport(q2, [...cases, ended], now);
    expect(r.timeToDecision).toEqual({ count: 5, medianWorkingDays: 1, p90WorkingDays: 11 });
    expect(r.adHocAssessments).toMatchObject({ total: 3, awaitingOutcome: 1, endedWithoutOutcome: 1 });
    expect(r.overdueEndings.AssessmentSchedule).toBe(1);
  });

  it('reports nothing measured as null, not zero', () => {
    const empty = computeReport(q2, [], now);
    expect(empty.timeToDecision).toEqual({ count: 0, medianWorkingDays: null, p90WorkingDays: null });
    expect(empty.notices.total).toBe(0);
  });

  it('is a CSV of every measure, a page with dates in words, and an email', () => {
    const csv = reportCsv(report);
    expect(csv.split('\r\n')[0]).toBe('"Section","Measure","Value"');
    expect(csv).toContain('"Notices received","Small Supplier: late","1"\r\n');
    expect(csv).toContain(`"Time from notice to the SSC's decision","Median","2.5 Working Days"`);
    expect(csv).toContain('"Cases ended overdue, by the wait","The User\'s answer","1"');
    const page = reportPage(report);
    expect(page).toContain('<main');
    expect(page).toContain('1 April 2026 to 30 June 2026');
    expect(page).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    const email = reportEmail(report, '2026-Q2', ['secas@example.org']);
    expect(email.subject).toBe('Second User System notifications: report for 2026 Q2');
    expect(email.text).toContain('90th percentile: 11 Working Days');
  });
});

describe('the range a report may cover', () => {
  it('takes a range of past days, the first and last included, as UK days', () => {
    expect(rangeErrors(q2, now)).toEqual([]);
    expect(receivedBetween(q2)).toEqual({ first: '2026-03-31T23:00:00.000Z', last: '2026-06-30T22:59:59.999Z' });
    // The clocks go forward on 29 March 2026: the quarter starts in GMT and ends in BST.
    expect(receivedBetween({ from: '2026-01-01', to: '2026-03-31' })).toEqual({ first: '2026-01-01T00:00:00.000Z', last: '2026-03-31T22:59:59.999Z' });
  });

  it('refuses a reversed range, one ending after today, and one starting before the calendar, naming the field', () => {
    expect(rangeErrors({ from: '2026-06-30', to: '2026-04-01' }, now)).toEqual([{ pointer: '/to', detail: 'must be on or after from (30 June 2026)' }]);
    expect(rangeErrors({ from: '2026-06-01', to: '2026-07-02' }, now).map((e) => e.pointer)).toEqual(['/to']);
    expect(rangeErrors({ from: '2017-12-31', to: '2026-01-01' }, now).map((e) => e.pointer)).toEqual(['/from']);
    expect(rangeErrors({ from: '2026-07-02', to: '2026-07-03' }, now).map((e) => e.pointer)).toEqual(['/from', '/to']);
  });
});

describe('quarters', () => {
  it.each([
    ['2026-05-18', { from: '2026-04-01', to: '2026-06-30', name: '2026-Q2' }, { from: '2026-01-01', to: '2026-03-31', name: '2026-Q1' }],
    ['2027-01-04', { from: '2027-01-01', to: '2027-03-31', name: '2027-Q1' }, { from: '2026-10-01', to: '2026-12-31', name: '2026-Q4' }],
    ['2028-02-29', { from: '2028-01-01', to: '2028-03-31', name: '2028-Q1' }, { from: '2027-10-01', to: '2027-12-31', name: '2027-Q4' }],
  ])('%s is in %o; the quarter before is %o', (date, quarter, before) => {
    expect(quarterOf(date)).toEqual(quarter);
    expect(quarterBefore(date)).toEqual(before);
  });

  it.each([
    ['2026-04-15', '2026-04-01', 'a Wednesday'],
    ['2027-02-01', '2027-01-04', 'New Year’s Day a Friday, then the weekend'],
    ['2028-03-01', '2028-01-04', 'New Year’s Day a Saturday, its substitute Monday 3 January'],
    ['2026-08-10', '2026-07-01', 'a Wednesday'],
  ])('the first Working Day of the quarter of %s is %s (%s)', (date, first) => {
    expect(firstWorkingDayOfQuarter(date)).toBe(first);
  });
});

describe("a report's cost", () => {
  it('is half a read unit per 4 KB of case items, a half for each page and empty status, and a half per case with questions', () => {
    // 10 000 cases of 4 KB: 10 000 units halved; 13 empty statuses and 40 pages of a megabyte: 52 halves more; 2 000 cases' questions.
    const cost = reportCost({ cases: 10_000, caseItemBytes: 4096, casesWithQuestions: 2000, exchangeBytesPerCase: 1500, statuses: 14 });
    expect(cost.readUnits).toBe(5000 + 26 + 1000);
    expect(cost.bytesRead).toBe(10_000 * 4096 + 2000 * 1500);
    expect(cost.usd).toBeCloseTo(6026 * DYNAMODB_READ_REQUEST_UNIT.usd, 12);
    expect(reportCost({ cases: 0, caseItemBytes: 4096, casesWithQuestions: 0, exchangeBytesPerCase: 0, statuses: 14 }).readUnits).toBe(7);
  });
});
