import { describe, expect, it } from 'vitest';
import {
  assessmentCompletionError,
  assessmentCompletionWindow,
  assessmentDateError,
  assessmentDateWindow,
  latestAdmissibleDate,
  notificationDateErrors,
  notificationDateRules,
  outsideWindow,
  windowOf,
} from '../../functions/domain/admission';
import { NotificationSubmission } from '../../functions/domain/notification';
import { addMonths, addWorkingDays, calendarRange } from '../../functions/domain/working-days';
import holidayData from '../../functions/domain/data/bank-holidays-england-and-wales.json' with { type: 'json' };
import { sampleNotification } from '../../infra/local/sample-notification';

const today = '2026-11-24';
const sample = () => NotificationSubmission.parse(sampleNotification(today));

describe('calendar months', () => {
  it.each([
    ['2026-11-24', 13, '2027-12-24'],
    ['2027-01-31', 1, '2027-02-28'],
    ['2028-01-31', 1, '2028-02-29'],
    ['2026-11-24', -120, '2016-11-24'],
    ['2024-02-29', 12, '2025-02-28'],
    ['2026-03-31', -1, '2026-02-28'],
  ])('%s + %d months = %s', (date, months, expected) => {
    expect(addMonths(date, months)).toBe(expected);
  });
});

describe('what the API admits: dates the workflow computes on', () => {
  it('admits the sample notification', () => {
    expect(notificationDateErrors(sample(), today)).toEqual([]);
  });

  it.each([
    ['/existingUserSystem/nextAnnualReviewOn', '2045-06-30', 'from 2026-11-24 to 2027-12-24'],
    ['/existingUserSystem/nextAnnualReviewOn', '2026-11-23', 'from 2026-11-24 to 2027-12-24'],
    ['/existingUserSystem/nextAnnualReviewOn', '2017-01-01', 'from 2026-11-24'],
    ['/existingUserSystem/fullUserSecurityAssessmentCompletedOn', '2026-11-25', 'to 2026-11-24'],
    ['/newUserSystem/plannedLiveOn', '2099-01-01', 'from 2016-11-24 to 2029-11-24'],
    ['/newUserSystem/plannedLiveOn', '0001-01-01', 'from 2016-11-24'],
    ['/newUserSystem/plannedProcurementOn', '2016-11-23', 'from 2016-11-24'],
    ['/newUserSystem/operator/priorAssessment/completedOn', '2027-01-01', 'to 2026-11-24'],
  ])('refuses %s = %s, naming the allowed range', (pointer, value, range) => {
    const body = sampleNotification(today);
    const [, group, field, ...rest] = pointer.split('/') as [string, string, string, ...string[]];
    if (rest.length) body[group][field].priorAssessment.completedOn = value;
    else body[group][field] = value;
    // Keep procurement no later than going live, as the schema requires.
    if (pointer.endsWith('plannedLiveOn')) body.newUserSystem.plannedProcurementOn = value < '2016-11-24' ? value : '2016-11-24';
    if (pointer.endsWith('plannedProcurementOn')) body.newUserSystem.plannedLiveOn = '2020-01-01';
    const errors = notificationDateErrors(NotificationSubmission.parse(body), today);
    expect(errors.find((e) => e.pointer === pointer)?.detail).toContain(range);
    expect(errors.every((e) => e.pointer.startsWith('/newUserSystem/planned') || e.pointer === pointer)).toBe(true);
  });

  it('admits every rule at both ends of its window', () => {
    for (const rule of notificationDateRules) {
      const window = windowOf(rule, today);
      for (const edge of [window.notBefore, window.notAfter]) expect(outsideWindow(edge, window)).toBeUndefined();
      expect(outsideWindow(addMonths(window.notAfter, 1), window)).toBeDefined();
    }
  });

  it('keeps every window a year inside the Working-Day calendar, so the workflow can compute on any admitted date', () => {
    expect(latestAdmissibleDate()).toBe(addMonths(calendarRange.lastDay, -12));
    const lateToday = addMonths(latestAdmissibleDate(), -2);
    for (const rule of notificationDateRules) expect(windowOf(rule, lateToday).notAfter <= latestAdmissibleDate()).toBe(true);
    // The furthest arithmetic the workflow does from an admitted date stays inside the data.
    expect(() => addWorkingDays(latestAdmissibleDate(), 2 * 120)).not.toThrow();
  });

  it('covers at least thirty years after the day the Working-Day data was generated (the synth fails ten years before it runs out)', () => {
    expect(calendarRange.lastDay >= addMonths(holidayData.generatedOn, 360)).toBe(true);
  });

  it('bounds an assessment date by the hard limit of its window', () => {
    const scheduled = assessmentDateWindow(today, '2027-02-19');
    expect(assessmentDateError('2027-02-19', scheduled)).toBeUndefined();
    expect(assessmentDateError('2027-02-22', scheduled)?.detail).toBe(
      'must be from 2026-11-25 to 2027-02-19: a Working Day after today, until the hard limit of the assessment window the SSC set',
    );
    expect(assessmentDateError('2026-11-23', scheduled)?.pointer).toBe('/scheduledOn');
  });
});

describe('an assessment date: a Working Day after today', () => {
  const hardLimitOn = '2027-06-30';
  const refusal = (scheduledOn: string, on: string) => assessmentDateError(scheduledOn, assessmentDateWindow(on, hardLimitOn));

  it.each([
    ['today', '2026-11-24', '2026-11-24', /^must be from 2026-11-25 to 2027-06-30: a Working Day after today/],
    ['a Saturday', '2026-11-24', '2026-11-28', /^must be a Working Day \(not a Saturday, Sunday, .*\): 2026-11-28 is a Saturday$/],
    ['a Sunday', '2026-11-24', '2026-11-29', /: 2026-11-29 is a Sunday$/],
    ['Christmas Day', '2026-11-24', '2026-12-25', /: 2026-12-25 is a holiday \(a Friday\)$/],
    ["Boxing Day's substitute", '2026-11-24', '2026-12-28', /: 2026-12-28 is a holiday \(a Monday\)$/],
    ['Good Friday', '2026-11-24', '2027-03-26', /: 2027-03-26 is a holiday \(a Friday\)$/],
    ['a weekend after a Friday', '2026-11-27', '2026-11-28', /^must be from 2026-11-30 to/],
    ['the holidays after Christmas Eve', '2026-12-24', '2026-12-28', /^must be from 2026-12-29 to/],
    ['yesterday', '2026-11-24', '2026-11-23', /^must be from 2026-11-25/],
  ])('refuses %s, naming the rule', (_, on, scheduledOn, detail) => {
    const error = refusal(scheduledOn, on);
    expect(error?.pointer).toBe('/scheduledOn');
    expect(error?.detail).toMatch(detail);
  });

  it.each([
    ['tomorrow', '2026-11-24', '2026-11-25'],
    ['the Monday after a Friday', '2026-11-27', '2026-11-30'],
    ['the first Working Day after Christmas', '2026-12-24', '2026-12-29'],
    ['Easter Tuesday', '2027-03-25', '2027-03-30'],
  ])('takes %s', (_, on, scheduledOn) => {
    expect(refusal(scheduledOn, on)).toBeUndefined();
    expect(assessmentDateWindow(on, hardLimitOn).notBefore <= scheduledOn).toBe(true);
  });

  it("offers the form the first Working Day after today as the date field's minimum", () => {
    expect(assessmentDateWindow('2026-11-24', hardLimitOn).notBefore).toBe('2026-11-25');
    expect(assessmentDateWindow('2026-11-28', hardLimitOn).notBefore).toBe('2026-11-30');
    expect(assessmentDateWindow('2026-12-24', hardLimitOn).notBefore).toBe('2026-12-29');
    expect(assessmentDateWindow('2027-03-25', hardLimitOn).notBefore).toBe('2027-03-30');
  });
});

describe("an assessment's completion: on or after its scheduled date, not in the future", () => {
  const refusal = (completedOn: string, scheduledOn: string, on: string) => assessmentCompletionError(completedOn, assessmentCompletionWindow(scheduledOn, on));

  it('takes the scheduled day, today and any day between', () => {
    for (const completedOn of ['2026-11-20', '2026-11-21', '2026-11-24']) expect(refusal(completedOn, '2026-11-20', today)).toBeUndefined();
  });

  it('refuses a day before the scheduled one, and a day in the future, naming the rule', () => {
    const before = refusal('2026-11-19', '2026-11-20', today);
    expect(before).toEqual({
      pointer: '/outcome/completedOn',
      detail: 'must be from 2026-11-20 to 2026-11-24: on or after the day the assessment was scheduled for, and not in the future',
    });
    expect(refusal('2026-11-25', '2026-11-20', today)?.detail).toBe(before?.detail);
  });

  it('refuses every completion of an assessment still ahead, saying when its outcome can be recorded', () => {
    for (const completedOn of ['2026-11-24', '2026-11-25', '2026-11-26'])
      expect(refusal(completedOn, '2026-11-25', today)).toEqual({
        pointer: '/outcome/completedOn',
        detail:
          'must be on or after 2026-11-25, the day the assessment was scheduled for, and not in the future (today is 2026-11-24): record the outcome once the assessment has taken place',
      });
  });
});
