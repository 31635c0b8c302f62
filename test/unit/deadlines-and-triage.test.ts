import { describe, expect, it } from 'vitest';
import {
  annualReviewReminder,
  defaultDeadlineSettings as settings,
  nextCheckpoint,
  sscDecisionDeadline,
  startDeadline,
} from '../../functions/domain/deadlines';
import { NotificationSubmission } from '../../functions/domain/notification';
import { defaultMeetingCalendar, nextMeeting } from '../../functions/domain/ssc-meetings';
import { triage } from '../../functions/domain/triage';
import { fixture } from '../support/fixtures';

const at = (iso: string) => new Date(iso);

describe('deadlines', () => {
  const meeting = { on: '2026-12-09', papersBy: '2026-12-02' };

  it('makes the SSC decision due at its meeting, reminds 3 Working Days before, escalates the next Working Day, ends 20 after', () => {
    const d = sscDecisionDeadline(at('2026-11-24T10:00:00Z'), meeting, settings);
    expect(d).toEqual({
      wait: 'SscDecision',
      startedAt: '2026-11-24T10:00:00.000Z',
      dueOn: '2026-12-09',
      reminderAt: '2026-12-04T09:00:00.000Z',
      escalationAt: '2026-12-10T09:00:00.000Z',
      hardLimitAt: '2027-01-11T09:00:00.000Z', // 20 Working Days after 9 Dec, skipping 25 and 28 Dec and 1 Jan
      meeting,
    });
  });

  it('brings the due date before the meeting to the last Working Day before the live date, when that is sooner and ahead', () => {
    const d = sscDecisionDeadline(at('2026-11-24T10:00:00Z'), meeting, settings, '2026-12-01');
    expect(d).toMatchObject({ dueOn: '2026-12-01', reminderAt: '2026-11-26T09:00:00.000Z', meeting });
    expect(sscDecisionDeadline(at('2026-11-24T10:00:00Z'), meeting, settings, '2026-12-10').dueOn).toBe('2026-12-09');
    expect(sscDecisionDeadline(at('2026-11-24T10:00:00Z'), meeting, settings, '2026-11-24').dueOn).toBe('2026-12-09');
  });

  it('sends no reminder when the due date is too close for one', () => {
    const d = sscDecisionDeadline(at('2026-11-24T10:00:00Z'), meeting, settings, '2026-11-26');
    expect(d.reminderAt).toBeUndefined();
  });

  it('counts an assessment outcome from its scheduled date, in summer time too', () => {
    const d = startDeadline('AssessmentOutcome', at('2027-06-01T10:00:00Z'), settings, { anchorOn: '2027-06-14' });
    expect(d.dueOn).toBe('2027-07-12');
    expect(d.escalationAt).toBe('2027-07-13T08:00:00.000Z'); // 09:00 BST
  });

  it('walks the checkpoints in order as time passes', () => {
    const d = startDeadline('UserInformation', at('2026-11-24T10:00:00Z'), settings);
    expect(nextCheckpoint(d, at('2026-11-24T10:00:00Z'))).toMatchObject({ checkpoint: 'Reminder', at: d.reminderAt });
    expect(nextCheckpoint(d, at(d.reminderAt as string))).toMatchObject({ checkpoint: 'Escalation', at: d.escalationAt });
    expect(nextCheckpoint(d, at(d.escalationAt))).toMatchObject({ checkpoint: 'HardLimit', at: d.hardLimitAt });
    const late = nextCheckpoint(d, at('2030-01-01T00:00:00Z'));
    expect(late).toMatchObject({ checkpoint: 'HardLimit', timeoutSeconds: 1 });
    expect(nextCheckpoint(d, at('2026-12-03T08:59:59.500Z')).timeoutSeconds).toBe(1);
  });

  it('reminds of the annual review at 09:00 UK time 10 Working Days before it, however far ahead, never sooner than a schedule can fire', () => {
    const start = at('2026-11-24T10:00:00Z');
    // Easter 2027 (26 and 29 March) is skipped; March is GMT.
    expect(annualReviewReminder('2027-03-31', start, settings)).toEqual({ at: '2027-03-15T09:00:00.000Z', londonTime: '2027-03-15T09:00:00' });
    // In British Summer Time, 09:00 in London is 08:00 UTC; the schedule is written in London time.
    expect(annualReviewReminder('2027-07-30', start, settings)).toEqual({ at: '2027-07-16T08:00:00.000Z', londonTime: '2027-07-16T09:00:00' });
    // More than a year ahead: no clamp, the reminder is its own schedule.
    expect(annualReviewReminder('2028-06-30', start, settings)).toEqual({ at: '2028-06-16T08:00:00.000Z', londonTime: '2028-06-16T09:00:00' });
    // Too close or past: the next whole minute at least two minutes on.
    expect(annualReviewReminder('2026-11-25', start, settings)).toEqual({ at: '2026-11-24T10:02:00.000Z', londonTime: '2026-11-24T10:02:00' });
    expect(annualReviewReminder('2020-01-06', at('2026-11-24T10:00:30Z'), settings).at).toBe('2026-11-24T10:03:00.000Z');
  });
});

describe('triage', () => {
  // Filed on the day it is received: the fixture's dates and the triage's clock are the same day.
  const received = at('2026-11-24T10:00:00Z');
  const submission = (mutate: (b: any) => void = () => {}) => {
    const body = fixture('2026-11-24');
    mutate(body);
    return NotificationSubmission.parse(body);
  };

  it('points a Shared Resource Provider system already assessed to deferral, citing the assessment', () => {
    const t = triage(submission(), received, nextMeeting(defaultMeetingCalendar, '2026-11-24'));
    expect(t.recommendation).toBe('DeferToAnnualReview');
    expect(t.recommendationReasons.join(' ')).toContain('USA-SR-2025-019');
    expect(t.late).toBe(false);
    expect(t.decideBefore).toBe('2027-04-02'); // Easter Monday is 29 Mar 2027; 5 Apr is a Monday, 2 Apr a Friday
  });

  it.each([
    ['in-house', (b: any) => (b.newUserSystem.operator = { kind: 'InHouse' })],
    ['a Shared Resource Provider never assessed', (b: any) => delete b.newUserSystem.operator.priorAssessment],
  ])('points a system run %s to an ad-hoc assessment', (_, mutate) => {
    const t = triage(submission(mutate), received, nextMeeting(defaultMeetingCalendar, '2026-11-24'));
    expect(t.recommendation).toBe('AdHocAssessment');
    expect(t.recommendationReasons.join(' ')).toContain('G8.13');
  });

  it('points a change to components of an existing User System to out of scope, whoever runs it', () => {
    for (const operator of [undefined, { kind: 'InHouse' }]) {
      const t = triage(
        submission((b) => {
          b.newUserSystem.change = 'ComponentsOfExistingUserSystem';
          if (operator) b.newUserSystem.operator = operator;
        }),
        received,
        nextMeeting(defaultMeetingCalendar, '2026-11-24'),
      );
      expect(t.recommendation).toBe('OutOfScope');
      expect(t.recommendationReasons.join(' ')).toContain('Agreed Interpretations (v1.7, §9)');
    }
    expect(
      triage(
        submission((b) => (b.newUserSystem.change = 'NewOrAdditionalUserSystem')),
        received,
        nextMeeting(defaultMeetingCalendar, '2026-11-24'),
      ).recommendation,
    ).toBe('DeferToAnnualReview');
  });

  it.each([
    [
      'already in use',
      (b: any) => {
        b.newUserSystem.alreadyInUse = true;
      },
      /already in use/,
    ],
    [
      'live date passed',
      (b: any) => {
        b.newUserSystem.plannedProcurementOn = '2026-01-01';
        b.newUserSystem.plannedLiveOn = '2026-06-01';
      },
      /not after the date of notice/,
    ],
    [
      'live on the day of the first meeting that can decide',
      (b: any) => {
        b.newUserSystem.plannedProcurementOn = '2026-12-01';
        b.newUserSystem.plannedLiveOn = '2026-12-09';
      },
      /not after the SSC meeting that can first decide on the notice \(2026-12-09, papers by 2026-12-02\)/,
    ],
  ])('flags a notice late when %s', (_, mutate, reason) => {
    const t = triage(submission(mutate), received, nextMeeting(defaultMeetingCalendar, '2026-11-24'));
    expect(t.late).toBe(true);
    expect(t.lateReasons.join(' ')).toMatch(reason);
  });

  it('is not late when the system goes live the day after that meeting', () => {
    const t = triage(
      submission((b) => {
        b.newUserSystem.plannedProcurementOn = '2026-12-01';
        b.newUserSystem.plannedLiveOn = '2026-12-10';
      }),
      received,
      nextMeeting(defaultMeetingCalendar, '2026-11-24'),
    );
    expect(t.late).toBe(false);
  });
});
