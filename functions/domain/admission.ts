import type { NotificationSubmission } from './notification';
import type { FieldError } from './problem';
import { type IsoDate, addMonths, calendarRange } from './working-days';

/**
 * What the API admits beyond the shape its schemas check. Every date that a later step computes
 * on (in SEC Working Days), or that only makes sense on one side of today, must fall in a window
 * around the day it arrives, so that whatever the API accepts, the workflow can carry: no window
 * reaches within a year of the end of the Working-Day calendar, and a case computes no deadline
 * further than that from the day it is in.
 */
export interface DateWindow {
  /** JSON pointer of the field, as in the 422's errors. */
  pointer: string;
  notBefore: IsoDate;
  notAfter: IsoDate;
  /** Why the window is what it is, in the words of the process. */
  why: string;
}

/** A window relative to the day the request arrives, in calendar months. */
export interface RelativeDateRule {
  pointer: string;
  fromMonths: number;
  toMonths: number;
  why: string;
}

/**
 * The notification's dates (the months are *inferred* bounds, documented in the README): an
 * assessment already passed lies in the past, within two three-year assessment cycles and a
 * margin; the next annual review lies ahead, within 13 months (SEC G8.40 schedules annual
 * assessments within 12 months of the last fieldwork, plus a month's slack); procurement and
 * going live within three years either side (a retrospective notice may come long after).
 */
export const notificationDateRules: readonly RelativeDateRule[] = [
  {
    pointer: '/existingUserSystem/fullUserSecurityAssessmentCompletedOn',
    fromMonths: -120,
    toMonths: 0,
    why: 'an assessment already completed, within the last ten years',
  },
  {
    pointer: '/existingUserSystem/nextAnnualReviewOn',
    fromMonths: 0,
    toMonths: 13,
    why: 'the next annual review, from today to 13 months ahead (SEC G8.40: annual assessments within 12 months of the last)',
  },
  {
    pointer: '/newUserSystem/operator/priorAssessment/completedOn',
    fromMonths: -120,
    toMonths: 0,
    why: 'an assessment already passed, within the last ten years',
  },
  { pointer: '/newUserSystem/plannedProcurementOn', fromMonths: -120, toMonths: 36, why: 'within ten years back and three years ahead' },
  { pointer: '/newUserSystem/plannedLiveOn', fromMonths: -120, toMonths: 36, why: 'within ten years back (a retrospective notice) and three years ahead' },
];

/** The latest date any window may reach: a year before the Working-Day calendar ends. */
export const latestAdmissibleDate = (): IsoDate => addMonths(calendarRange.lastDay, -12);

const clampToCalendar = (notAfter: IsoDate): IsoDate => (notAfter < latestAdmissibleDate() ? notAfter : latestAdmissibleDate());

export const windowOf = (rule: RelativeDateRule, today: IsoDate): DateWindow => ({
  pointer: rule.pointer,
  notBefore: addMonths(today, rule.fromMonths),
  notAfter: clampToCalendar(addMonths(today, rule.toMonths)),
  why: rule.why,
});

export const outsideWindow = (value: IsoDate | undefined, window: DateWindow): FieldError | undefined =>
  value !== undefined && (value < window.notBefore || value > window.notAfter)
    ? { pointer: window.pointer, detail: `must be from ${window.notBefore} to ${window.notAfter}: ${window.why}` }
    : undefined;

const valueAt = (body: unknown, pointer: string): IsoDate | undefined => {
  let at: unknown = body;
  for (const key of pointer.slice(1).split('/')) at = at && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined;
  return typeof at === 'string' ? at : undefined;
};

/** The fields of a (schema-valid) notification whose dates fall outside their windows on `today`. */
export const notificationDateErrors = (submission: NotificationSubmission, today: IsoDate): FieldError[] =>
  notificationDateRules.flatMap((rule) => outsideWindow(valueAt(submission, rule.pointer), windowOf(rule, today)) ?? []);

/** When an ad-hoc assessment may be scheduled: from today until the hard limit of the window the SSC's decision opened. */
export const assessmentDateWindow = (today: IsoDate, hardLimitOn: IsoDate): DateWindow => ({
  pointer: '/scheduledOn',
  notBefore: today,
  notAfter: clampToCalendar(hardLimitOn),
  why: 'from today until the hard limit of the assessment window the SSC set',
});

/** When an ad-hoc assessment may have completed: not before the SSC required it, not in the future. */
export const assessmentCompletionWindow = (requiredOn: IsoDate, today: IsoDate): DateWindow => ({
  pointer: '/outcome/completedOn',
  notBefore: requiredOn,
  notAfter: today,
  why: 'after the SSC required the assessment and not in the future',
});
