import { describe, expect, it } from 'vitest';
import { meetingPapersEmail } from '../../functions/domain/emails';
import { type PaperCase, assembleMeetingPapers, paperCaseOf } from '../../functions/domain/meeting-papers';
import { defaultMeetingCalendar, meetingWithPapersDueOn, meetingsBetween, previousMeeting } from '../../functions/domain/ssc-meetings';
import { meetingPapersPage } from '../../infra/local/console/meeting-papers-page';
import { caseRecord } from '../support/fixtures';
import { conventionBreaks } from '../support/page-conventions';

/**
 * The SSC's papers for its meeting of 13 January 2027 (the 2nd Wednesday; papers 5 Working Days
 * before, on 6 January), assembled at 09:00 on the paper deadline. The meeting before is 23
 * December 2026; between them lie Christmas Day, the Boxing Day substitute (28 December) and New
 * Year's Day, which the Working Days skip.
 */
const jan13 = { on: '2027-01-13', papersBy: '2027-01-06' };
const dec23 = { on: '2026-12-23', papersBy: '2026-12-16' };
const jan27 = { on: '2027-01-27', papersBy: '2027-01-20' };
const now = new Date('2027-01-06T09:00:00Z');

const summary = (reference: string, over: Partial<PaperCase>): PaperCase => ({
  reference,
  status: 'AwaitingSscDecision',
  party: `Party ${reference}`,
  system: `System ${reference}`,
  recommendation: 'AdHocAssessment',
  late: false,
  receivedAt: '2026-12-01T10:00:00.000Z',
  informationRounds: 0,
  ...over,
});

const cases: PaperCase[] = [
  summary('SUS-A-2026-0001', { deadline: { dueOn: '2027-01-13', meeting: jan13 }, openDecisionId: 'd1' }),
  // Due before the meeting: its planned live date requires it.
  summary('SUS-A-2026-0002', { deadline: { dueOn: '2027-01-08', meeting: jan13 }, late: true, recommendation: 'DeferToAnnualReview' }),
  // Was due at the meeting before and is still undecided.
  summary('SUS-A-2026-0003', { deadline: { dueOn: '2026-12-23', meeting: dec23 } }),
  // Filed after the paper deadline of 13 January: goes to 27 January.
  summary('SUS-A-2027-0004', { deadline: { dueOn: '2027-01-27', meeting: jan27 }, receivedAt: '2027-01-07T10:00:00.000Z' }),
  // Decided at the last meeting, in the morning.
  summary('SUS-A-2026-0005', {
    status: 'Closed',
    decision: { kind: 'OutOfScope', decidedAt: '2026-12-23T10:00:00.000Z', decidedBy: 'Ada Member' },
  }),
  // Decided the day before the last meeting: not since it.
  summary('SUS-A-2026-0006', {
    status: 'DeferredToAnnualReview',
    decision: { kind: 'DeferToAnnualReview', decidedAt: '2026-12-22T16:00:00.000Z', decidedBy: 'Ada Member' },
  }),
  // A question asked over the holidays: the User's move.
  summary('SUS-A-2026-0007', {
    status: 'AwaitingUserInformation',
    decision: { kind: 'MoreInformationNeeded', decidedAt: '2027-01-04T11:00:00.000Z', decidedBy: 'Grace Member' },
  }),
  // Undecided to the hard limit of its wait, after the last meeting: ended SscDecisionOverdue.
  summary('SUS-A-2026-0008', {
    status: 'SscDecisionOverdue',
    deadline: { dueOn: '2026-11-25', meeting: { on: '2026-11-25', papersBy: '2026-11-18' }, hardLimitAt: '2027-01-05T09:00:00.000Z' },
  }),
  // Ended the same way, before the last meeting: in its papers, not these.
  summary('SUS-A-2026-0010', {
    status: 'SscDecisionOverdue',
    deadline: { dueOn: '2026-11-11', meeting: { on: '2026-11-11', papersBy: '2026-11-04' }, hardLimitAt: '2026-12-09T09:00:00.000Z' },
  }),
];

describe("the SSC's meeting papers", () => {
  it('fall due on the paper deadline only, and know the meeting before, across the holidays', () => {
    expect(meetingWithPapersDueOn(defaultMeetingCalendar, '2027-01-06')).toEqual(jan13);
    expect(meetingWithPapersDueOn(defaultMeetingCalendar, '2027-01-05')).toBeUndefined();
    expect(meetingWithPapersDueOn(defaultMeetingCalendar, '2027-01-07')).toBeUndefined();
    expect(previousMeeting(defaultMeetingCalendar, '2027-01-13')).toEqual(dec23);
    expect(meetingsBetween(defaultMeetingCalendar, '2026-12-01', '2027-01-31')).toEqual([{ on: '2026-12-09', papersBy: '2026-12-02' }, dec23, jan13, jan27]);
    // A listed meeting on 6 January 2027: five Working Days back skip New Year's Day (29 December, not 30).
    const listed = { schedule: { dates: ['2026-12-16', '2027-01-06'] }, paperDeadlineWorkingDays: 5 };
    expect(meetingWithPapersDueOn(listed, '2026-12-29')).toEqual({ on: '2027-01-06', papersBy: '2026-12-29' });
    expect(previousMeeting(listed, '2027-01-06')?.on).toBe('2026-12-16');
    expect(previousMeeting(listed, '2026-12-16')).toBeUndefined();
  });

  it('list the cases due at the meeting, the overdue ones, those going to a later meeting and the decisions since the last', () => {
    const papers = assembleMeetingPapers({ meeting: jan13, previous: dec23, cases, now, links: { 'SUS-A-2026-0001': 'https://x/decisions/d1' } });
    const refs = (lines: PaperCase[]) => lines.map((c) => c.reference);
    expect(refs(papers.due)).toEqual(['SUS-A-2026-0002', 'SUS-A-2026-0001']);
    expect(refs(papers.overdue)).toEqual(['SUS-A-2026-0003']);
    expect(refs(papers.later)).toEqual(['SUS-A-2027-0004']);
    expect(refs(papers.decided)).toEqual(['SUS-A-2026-0005', 'SUS-A-2026-0007']);
    expect(papers.since).toBe('2026-12-23T00:00:00.000Z');
    expect(papers.due[1]).toMatchObject({ whoseMove: 'SSC', pastDue: false, link: 'https://x/decisions/d1' });
    expect(papers.overdue[0]?.pastDue).toBe(true);
    expect(papers.decided.map((c) => c.whoseMove)).toEqual(['nobody: ended', 'User']);
    expect(refs(papers.endedOverdue)).toEqual(['SUS-A-2026-0008']);
    expect(papers.endedOverdue[0]?.whoseMove).toBe('nobody: ended');
    // Nor is an ended case listed as overdue or due.
    expect([...papers.due, ...papers.overdue, ...papers.later].map((c) => c.reference)).not.toContain('SUS-A-2026-0008');
  });

  it('as they stand later: a due date passed is flagged, and a decision after `now` is not yet listed', () => {
    const papers = assembleMeetingPapers({ meeting: jan13, previous: dec23, cases, now: new Date('2027-01-04T10:00:00Z') });
    expect(papers.decided.map((c) => c.reference)).toEqual(['SUS-A-2026-0005']);
    // Its hard limit not yet reached at `now`: not listed as ended.
    expect(papers.endedOverdue).toEqual([]);
    const afterDue = assembleMeetingPapers({ meeting: jan13, previous: dec23, cases, now: new Date('2027-01-11T09:00:00Z') });
    expect(afterDue.due.map((c) => [c.reference, c.pastDue])).toEqual([
      ['SUS-A-2026-0002', true],
      ['SUS-A-2026-0001', false],
    ]);
    // With no meeting before in the calendar, decisions from a month before count.
    expect(assembleMeetingPapers({ meeting: jan13, cases, now }).since).toBe('2026-12-13T00:00:00.000Z');
  });

  it('read a case item as the papers need it', () => {
    const deadline = {
      wait: 'SscDecision' as const,
      startedAt: '2026-12-17T10:00:00.000Z',
      dueOn: '2027-01-13',
      escalationAt: '2027-01-14T09:00:00.000Z',
      hardLimitAt: '2027-02-10T09:00:00.000Z',
      meeting: jan13,
    };
    const c = paperCaseOf({ ...caseRecord(), deadline });
    expect(c).toMatchObject({
      status: caseRecord().status,
      deadline: { dueOn: '2027-01-13', meeting: jan13, hardLimitAt: '2027-02-10T09:00:00.000Z' },
      informationRounds: 0,
    });
    expect(paperCaseOf({ ...caseRecord(), deadline: { ...deadline, wait: 'UserInformation' } }).deadline).toBeUndefined();
  });

  it('go to the SSC and SECAS in one email: the meeting in words, each case due with its link, and nothing else as due', () => {
    const papers = assembleMeetingPapers({ meeting: jan13, previous: dec23, cases, now, links: { 'SUS-A-2026-0001': 'https://x/decisions/d1?sig=a' } });
    const email = meetingPapersEmail(papers, { ssc: ['ssc@x.example'], secas: ['secas@x.example'] });
    expect(email.to).toEqual(['ssc@x.example', 'secas@x.example']);
    expect(email.notice).toBe('MeetingPapers');
    expect(email.subject).toBe('SSC meeting papers: 13 January 2027 (2 cases due)');
    const dueSection = email.text.slice(email.text.indexOf('Cases due at this meeting (2):'), email.text.indexOf('Overdue:'));
    expect(dueSection).toContain('SUS-A-2026-0001: Party SUS-A-2026-0001 – System SUS-A-2026-0001');
    expect(dueSection).toContain('SUS-A-2026-0002');
    expect(dueSection).toContain('Late notice: yes');
    expect(dueSection).toContain('Recommendation: No further assessment until the annual review');
    expect(dueSection).not.toContain('SUS-A-2026-0003');
    expect(email.text).toContain('Goes to the SSC meeting on 27 January 2027');
    expect(email.text).toContain('Decided since the last meeting (23 December 2026) (2):');
    expect(email.text).toContain('Decided: Out of scope: not a new User System, on 23 December 2026, by Ada Member');
    const endedSection = email.text.slice(email.text.indexOf('Ended undecided since the last meeting: the wait ran out (1):'));
    expect(endedSection).toContain('SUS-A-2026-0008');
    expect(endedSection).toContain('Ended SSC decision overdue on 5 January 2027, due 25 November 2026; SECAS was told');
    expect(endedSection).not.toContain('SUS-A-2026-0010');
    expect(email.text).toContain('https://x/decisions/d1?sig=a');
    expect(email.html).toContain('href="https://x/decisions/d1?sig=a"');
  });

  it('escape what Users wrote (party and system names) in the HTML, and keep it out of the subject', () => {
    const hostile = '<script>alert(1)</script> & "quotes"';
    const papers = assembleMeetingPapers({
      meeting: jan13,
      previous: dec23,
      cases: [summary('SUS-A-2026-0009', { party: hostile, system: hostile, deadline: { dueOn: '2027-01-13', meeting: jan13 } })],
      now,
    });
    const email = meetingPapersEmail(papers, { ssc: ['ssc@x.example'], secas: ['secas@x.example'] });
    expect(email.text).toContain(hostile);
    expect(email.html).not.toContain('<script>');
    expect(email.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;');
    expect(email.subject).toBe('SSC meeting papers: 13 January 2027 (1 case due)');
  });

  it("show in SECAS's console with every section, dates in words, and the GOV.UK page conventions", () => {
    const page = meetingPapersPage(assembleMeetingPapers({ meeting: jan13, previous: dec23, cases, now }), [dec23, jan13, jan27]);
    expect(conventionBreaks(page)).toEqual([]);
    expect(page).toContain('Papers for the SSC meeting on 13 January 2027');
    expect(page).toContain('Cases due at this meeting (2)');
    expect(page).toContain('Overdue: undecided past their due date (1)');
    expect(page).toContain('going to a later meeting (1)');
    expect(page).toContain('Decided since the last meeting (23 December 2026) (2)');
    expect(page).toContain('Out of scope: not a new User System, 23 December 2026, 10:00 GMT, by Ada Member');
    expect(page).toContain('<a class="govuk-link" href="/meetings/2027-01-27">27 January 2027</a>');
    expect(page).toContain('href="/cases/SUS-A-2026-0001"');
    expect(page).toContain('Ended undecided since the last meeting: the wait ran out (1)');
    expect(page).toContain('href="/cases/SUS-A-2026-0008"');
    expect(page).toContain('5 January 2027, 09:00 GMT');
    expect(page).not.toContain('SUS-A-2026-0010');
  });
});
