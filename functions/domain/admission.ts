import type { NotificationSubmission } from './notification';
import type { FieldError } from './problem';
import { type IsoDate, addMonths, addWorkingDays, calendarRange, isWorkingDay } from './working-days';

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

/** The date at a JSON pointer of a body, if a text is there. */
export const valueAt = (body: unknown, pointer: string): IsoDate | undefined => {
  let at: unknown = body;
  for (const key of pointer.slice(1).split('/')) at = at && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined;
  return typeof at === 'string' ? at : undefined;
};

/** The fields of a (schema-valid) notification whose dates fall outside their windows on `today`. */
export const notificationDateErrors = (submission: NotificationSubmission, today: IsoDate): FieldError[] =>
  notificationDateRules.flatMap((rule) => outsideWindow(valueAt(submission, rule.pointer), windowOf(rule, today)) ?? []);

/**
 * When an ad-hoc assessment may be scheduled: on a Working Day after today (a date already here
 * gives the User no notice, and no assessment is carried out on a weekend or holiday), until the
 * hard limit of the window the SSC's decision opened.
 */
export const assessmentDateWindow = (today: IsoDate, hardLimitOn: IsoDate): DateWindow => ({
  pointer: '/scheduledOn',
  notBefore: addWorkingDays(today, 1),
  notAfter: clampToCalendar(hardLimitOn),
  why: 'a Working Day after today, until the hard limit of the assessment window the SSC set',
});

const WORKING_DAY_RULE = 'must be a Working Day (not a Saturday, Sunday, Christmas Day, Good Friday or bank holiday in England and Wales)';
const weekdays = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

/** Why an assessment date cannot be taken (outside its window, or not a Working Day), or undefined when it can. */
export const assessmentDateError = (scheduledOn: IsoDate, window: DateWindow): FieldError | undefined => {
  const outside = outsideWindow(scheduledOn, window);
  if (outside || isWorkingDay(scheduledOn)) return outside;
  const weekday = weekdays[new Date(`${scheduledOn}T00:00:00Z`).getUTCDay()] as string;
  const what = weekday === 'Saturday' || weekday === 'Sunday' ? `a ${weekday}` : `a holiday (a ${weekday})`;
  return { pointer: window.pointer, detail: `${WORKING_DAY_RULE}: ${scheduledOn} is ${what}` };
};

/** When an ad-hoc assessment may have completed: on or after the day it was scheduled for, not in the future. */
export const assessmentCompletionWindow = (scheduledOn: IsoDate, today: IsoDate): DateWindow => ({
  pointer: '/outcome/completedOn',
  notBefore: scheduledOn,
  notAfter: today,
  why: 'on or after the day the assessment was scheduled for, and not in the future',
});

/** Why a completion date cannot be taken, or undefined when it can; an assessment still ahead has no outcome yet. */
export const assessmentCompletionError = (completedOn: IsoDate, window: DateWindow): FieldError | undefined => {
  if (window.notBefore <= window.notAfter) return outsideWindow(completedOn, window);
  return {
    pointer: window.pointer,
    detail: `must be on or after ${window.notBefore}, the day the assessment was scheduled for, and not in the future (today is ${window.notAfter}): record the outcome once the assessment has taken place`,
  };
};
