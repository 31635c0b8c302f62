import { describe, expect, it } from 'vitest';
import {
  assessmentCompletionWindow,
  assessmentDateWindow,
  latestAdmissibleDate,
  notificationDateErrors,
  notificationDateRules,
  outsideWindow,
  windowOf,
} from '../../functions/domain/admission';
import { NotificationSubmission } from '../../functions/domain/notification';
import { addMonths, addWorkingDays, calendarRange } from '../../functions/domain/working-days';
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

  it('covers at least thirty years ahead of today (regenerate the bank holidays well before it runs out)', () => {
    const thirtyYears = addMonths(new Date().toISOString().slice(0, 10), 360);
    expect(calendarRange.lastDay >= thirtyYears).toBe(true);
  });

  it('bounds an assessment date by the hard limit of its window, and a completion by the decision and today', () => {
    const scheduled = assessmentDateWindow(today, '2027-02-19');
    expect(outsideWindow('2027-02-19', scheduled)).toBeUndefined();
    expect(outsideWindow('2027-02-20', scheduled)?.detail).toContain('from 2026-11-24 to 2027-02-19');
    expect(outsideWindow('2026-11-23', scheduled)?.pointer).toBe('/scheduledOn');
    const completed = assessmentCompletionWindow('2026-11-02', today);
    expect(outsideWindow('2026-11-01', completed)?.pointer).toBe('/outcome/completedOn');
    expect(outsideWindow('2026-11-02', completed)).toBeUndefined();
    expect(outsideWindow('2026-11-25', completed)).toBeDefined();
  });
});
