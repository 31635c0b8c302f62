import type { SscMeeting } from './ssc-meetings';
import { type IsoDate, addWorkingDays, londonDate, londonInstant, londonWallClock } from './working-days';

/**
 * The waits a case can be in, each with a due date in SEC Working Days, a reminder before
 * it, an escalation to SECAS once it is missed (the wait goes on), and a hard limit after
 * which the case ends overdue. Checkpoints fall at 09:00 UK time on Working Days.
 */
export type WaitKind = 'SscDecision' | 'UserInformation' | 'AssessmentSchedule' | 'AssessmentOutcome';
export type Checkpoint = 'Reminder' | 'Escalation' | 'HardLimit';

/**
 * The SSC's decision is due at a meeting (see ssc-meetings.ts); the other waits run for a number
 * of Working Days.
 */
export interface DeadlineSettings {
  /** Working Days the User has to answer the SSC's question (default 10, inferred). */
  userInformationWorkingDays: number;
  /** Target window for scheduling an ad-hoc User Security Assessment (default 20, about four weeks). */
  assessmentScheduleWorkingDays: number;
  /** Working Days after the scheduled date by which SECAS records the outcome (default 20, inferred). */
  assessmentOutcomeWorkingDays: number;
  /** Reminders go this many Working Days before a due date (default 3). */
  reminderLeadWorkingDays: number;
  /** The wait ends this many Working Days after the due date (default 20, inferred). */
  hardLimitWorkingDays: number;
  /** The annual-review reminder goes this many Working Days before the review (default 10, inferred). */
  annualReviewReminderLeadWorkingDays: number;
}

/**
 * The range each setting may take (the synth and the functions' configuration both hold to it). A
 * hard limit needs at least two Working Days after the due date, so that the escalation, on the
 * first, comes before it rather than at the same moment.
 */
export const deadlineSettingBounds: Record<keyof DeadlineSettings, { min: number; max: number }> = {
  userInformationWorkingDays: { min: 1, max: 120 },
  assessmentScheduleWorkingDays: { min: 1, max: 120 },
  assessmentOutcomeWorkingDays: { min: 1, max: 120 },
  reminderLeadWorkingDays: { min: 1, max: 120 },
  hardLimitWorkingDays: { min: 2, max: 120 },
  annualReviewReminderLeadWorkingDays: { min: 1, max: 120 },
};

export const defaultDeadlineSettings: DeadlineSettings = {
  userInformationWorkingDays: 10,
  assessmentScheduleWorkingDays: 20,
  assessmentOutcomeWorkingDays: 20,
  reminderLeadWorkingDays: 3,
  hardLimitWorkingDays: 20,
  annualReviewReminderLeadWorkingDays: 10,
};

export interface Deadline {
  wait: WaitKind;
  startedAt: string;
  dueOn: IsoDate;
  /** Absent when the due date is too close for a reminder to help. */
  reminderAt?: string;
  escalationAt: string;
  hardLimitAt: string;
  /** The SSC's decision only: the meeting it is due at (the due date is earlier when the planned live date forces it). */
  meeting?: SscMeeting;
}

type WindowWait = Exclude<WaitKind, 'SscDecision'>;

const windowOf = (wait: WindowWait, s: DeadlineSettings): number =>
  ({
    UserInformation: s.userInformationWorkingDays,
    AssessmentSchedule: s.assessmentScheduleWorkingDays,
    AssessmentOutcome: s.assessmentOutcomeWorkingDays,
  })[wait];

export interface DeadlineOptions {
  /** Count the window from this date rather than from the start (an assessment's scheduled date). */
  anchorOn?: IsoDate;
}

/** A wait that runs a number of Working Days from its start (or from an anchor date). */
export const startDeadline = (wait: WindowWait, startedAt: Date, settings: DeadlineSettings, options: DeadlineOptions = {}): Deadline => {
  const dueOn = addWorkingDays(options.anchorOn ?? londonDate(startedAt), windowOf(wait, settings));
  return deadlineDueOn(wait, startedAt, dueOn, settings);
};

/**
 * The SSC's decision: due at `meeting` (the first whose paper deadline the case can still make),
 * or by the last Working Day before the planned live date when that comes first and is still ahead.
 */
export const sscDecisionDeadline = (startedAt: Date, meeting: SscMeeting, settings: DeadlineSettings, decideBefore?: IsoDate): Deadline => {
  const today = londonDate(startedAt);
  const dueOn = decideBefore && decideBefore < meeting.on && decideBefore > today ? decideBefore : meeting.on;
  return { ...deadlineDueOn('SscDecision', startedAt, dueOn, settings), meeting };
};

const deadlineDueOn = (wait: WaitKind, startedAt: Date, dueOn: IsoDate, settings: DeadlineSettings): Deadline => {
  const reminderAt = londonInstant(addWorkingDays(dueOn, -settings.reminderLeadWorkingDays));
  return {
    wait,
    startedAt: startedAt.toISOString(),
    dueOn,
    ...(reminderAt > startedAt ? { reminderAt: reminderAt.toISOString() } : {}),
    escalationAt: londonInstant(addWorkingDays(dueOn, 1)).toISOString(),
    hardLimitAt: londonInstant(addWorkingDays(dueOn, Math.max(1, settings.hardLimitWorkingDays))).toISOString(),
  };
};

/** What the workflow waits for next: the first checkpoint still ahead, and how long until it. */
export interface WaitPlan {
  checkpoint: Checkpoint;
  at: string;
  /** Whole seconds until the checkpoint, at least 1: the waiting task's TimeoutSecondsPath. */
  timeoutSeconds: number;
  dueOn: IsoDate;
}

export const nextCheckpoint = (deadline: Deadline, now: Date): WaitPlan => {
  const ahead = (at: string | undefined) => at !== undefined && Date.parse(at) > now.getTime();
  const [checkpoint, at]: [Checkpoint, string] = ahead(deadline.reminderAt)
    ? ['Reminder', deadline.reminderAt as string]
    : ahead(deadline.escalationAt)
      ? ['Escalation', deadline.escalationAt]
      : ['HardLimit', deadline.hardLimitAt];
  return { checkpoint, at, timeoutSeconds: Math.max(1, Math.ceil((Date.parse(at) - now.getTime()) / 1000)), dueOn: deadline.dueOn };
};

/** How soon a one-time schedule can be relied on to fire: EventBridge Scheduler fires within the minute it names. */
export const SCHEDULE_LEAD_MS = 2 * 60_000;

export interface AnnualReviewReminder {
  /** When the reminder is due (UTC). */
  at: string;
  /** The same instant as UK wall-clock time, for a schedule kept in Europe/London. */
  londonTime: string;
}

/**
 * When to remind the User and SECAS that a deferred system is in scope of the annual review:
 * 09:00 UK time a lead of Working Days before the review, however far ahead (the reminder is a
 * schedule of its own, not a wait inside the workflow); a review already that close, or past,
 * is reminded as soon as a schedule can fire, on the next whole minute after the lead.
 */
export const annualReviewReminder = (nextAnnualReviewOn: IsoDate, now: Date, settings: DeadlineSettings): AnnualReviewReminder => {
  const wanted = londonInstant(addWorkingDays(nextAnnualReviewOn, -settings.annualReviewReminderLeadWorkingDays)).getTime();
  const soonest = Math.ceil((now.getTime() + SCHEDULE_LEAD_MS) / 60_000) * 60_000;
  const at = new Date(Math.max(wanted, soonest));
  return { at: at.toISOString(), londonTime: londonWallClock(at) };
};
