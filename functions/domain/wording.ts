import type { AssuranceStatus, CaseStatus } from './case';
import type { Deadline, WaitKind } from './deadlines';
import { decisionWording, type SscDecisionKind } from './ssc-decision';
import type { IsoDate } from './working-days';

/**
 * What people read instead of the API's names: dates in words ("6 December 2026"), times with
 * their zone, and statuses, events, decisions and assessment outcomes as sentences. The pages
 * behind the emails' links and SECAS's console use these; the API keeps its enum names.
 */

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** A calendar date in words, as GOV.UK writes it: "6 December 2026" (the date as given, in no time zone). */
export const dateInWords = (date: IsoDate): string => {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return `${d} ${MONTHS[m - 1]} ${y}`;
};

const londonParts = (instant: Date) =>
  Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/London',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    })
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  ) as Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'timeZoneName', string>;

/** An instant as a person in the UK reads it, with its zone: "6 December 2026, 02:38 GMT" (BST in summer). */
export const timeInWords = (instant: string | Date): string => {
  const p = londonParts(typeof instant === 'string' ? new Date(instant) : instant);
  return `${dateInWords(`${p.year}-${p.month}-${p.day}`)}, ${p.hour}:${p.minute} ${p.timeZoneName}`;
};

/** The UK date of an instant, in words. */
export const dayInWords = (instant: string | Date): string => {
  const p = londonParts(typeof instant === 'string' ? new Date(instant) : instant);
  return dateInWords(`${p.year}-${p.month}-${p.day}`);
};

/** When a wait is due, in words, naming the SSC meeting where there is one. */
export const dueInWords = ({ meeting, dueOn }: Pick<Deadline, 'meeting' | 'dueOn'>): string => {
  if (!meeting) return dateInWords(dueOn);
  return dueOn === meeting.on
    ? `${dateInWords(dueOn)}, at the SSC meeting that day (papers by ${dateInWords(meeting.papersBy)})`
    : `${dateInWords(dueOn)}, before the next SSC meeting (${dateInWords(meeting.on)}): the planned live date requires it`;
};

export const statusWords: Record<CaseStatus, string> = {
  Received: 'Received',
  AwaitingSscDecision: "Awaiting the SSC's decision",
  AwaitingUserInformation: "Awaiting the User's answer",
  DeferredToAnnualReview: 'Deferred to the annual review',
  AwaitingAssessmentSchedule: 'Awaiting the assessment date',
  AwaitingAssessmentOutcome: 'Awaiting the assessment outcome',
  AssessmentOutcomeRecorded: 'Assessment outcome recorded',
  Closed: 'Closed',
  OutOfScope: 'Ended: out of scope (not a new User System)',
  Withdrawn: 'Withdrawn',
  SscDecisionOverdue: "Ended overdue: the SSC's decision",
  UserInformationOverdue: "Ended overdue: the User's answer",
  AssessmentScheduleOverdue: 'Ended overdue: the assessment date',
  AssessmentOutcomeOverdue: 'Ended overdue: the assessment outcome',
};

/** The SSC's decision or recommendation in words (its link's label). */
export const decisionWords = (kind: SscDecisionKind): string => decisionWording[kind].label;

export const assuranceWords: Record<AssuranceStatus, string> = {
  Approved: 'Approved',
  ApprovedSubjectTo: 'Approved, subject to conditions',
  Deferred: 'Deferred: a follow-up assessment is required',
  Rejected: 'Rejected: a follow-up assessment is required',
};

const waitWords: Record<WaitKind, string> = {
  SscDecision: "the SSC's decision",
  UserInformation: "the User's answer",
  AssessmentSchedule: 'the assessment date',
  AssessmentOutcome: 'the assessment outcome',
};

/** The audit history's events that are always written under one name. */
const fixedEventWords: Record<string, string> = {
  NotificationReceived: 'Notification received',
  LateNotificationReceived: 'Late notification received',
  AcknowledgementSent: 'Acknowledgement sent to the User',
  SscDecisionRequested: "SSC's decision requested",
  NotificationAmended: 'Notice amended by the User',
  SscDecisionConfirmed: 'SSC decision confirmed on its page',
  SscDecisionTaken: 'SSC decision taken',
  SscDecisionUndone: 'SSC decision undone (the workflow could not be reached)',
  InformationRequestedFromUser: 'Question sent to the User',
  UserAnswerRecorded: "User's answer recorded",
  AdviceSent: "SSC's advice sent to the User",
  AssessmentScheduled: 'Assessment date sent to the User',
  AssessmentScheduleRecorded: 'Assessment date recorded',
  AssessmentOutcomeRecorded: 'Assessment outcome recorded',
  AwaitingAnnualReview: 'Deferred to the annual review',
  AnnualReviewReminderScheduled: 'Annual review reminder scheduled',
  AnnualReviewReminderSent: 'Annual review reminder sent',
  WithdrawalRequested: 'Withdrawal requested by the User',
  CaseWithdrawn: 'Case withdrawn',
  CaseClosed: 'Case closed',
  OverdueNoticeSent: 'Overdue notice sent to SECAS',
  SscDecisionOverdue: "Ended overdue: the SSC's decision",
  UserInformationOverdue: "Ended overdue: the User's answer",
  AssessmentScheduleOverdue: 'Ended overdue: the assessment date',
  AssessmentOutcomeOverdue: 'Ended overdue: the assessment outcome',
  WorkflowStartedLate: 'Workflow started late',
  WorkflowStartFailed: 'Workflow could not start',
  WorkflowFaulted: 'Workflow stopped on a fault',
  WorkflowRedriven: 'Workflow redriven',
};

/** Events named after the wait they belong to (`${wait}DeadlineSet` and the like). */
const waitEventWords: Array<[string, (wait: string) => string]> = [
  ['DeadlineSet', (w) => `Deadline set for ${w}`],
  ['ReminderSent', (w) => `Reminder sent: ${w}`],
  ['EscalatedToSecas', (w) => `Escalated to SECAS: ${w}`],
  ['RequestedFromSecas', (w) => `SECAS asked for ${w}`],
];

const sentenceOf = (name: string): string => {
  const words = name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return `${words[0]?.toUpperCase() ?? ''}${words.slice(1)}`;
};

/** An audit-history event in words; a name this list does not know yet still reads as words. */
export const eventWords = (type: string): string => {
  const fixed = fixedEventWords[type];
  if (fixed) return fixed;
  if (type.endsWith('Undone')) return `${eventWords(type.slice(0, -'Undone'.length))}: undone (the workflow could not be reached)`;
  for (const [suffix, words] of waitEventWords) {
    const wait = type.slice(0, -suffix.length) as WaitKind;
    if (type.endsWith(suffix) && wait in waitWords) return words(waitWords[wait]);
  }
  return sentenceOf(type);
};

/** Whether `eventWords` has words of its own for an event type (not the fallback). */
export const hasEventWords = (type: string): boolean =>
  type in fixedEventWords ||
  waitEventWords.some(([suffix]) => type.endsWith(suffix) && type.slice(0, -suffix.length) in waitWords) ||
  (type.endsWith('Undone') && hasEventWords(type.slice(0, -'Undone'.length)));

/** A message with its ISO dates (`2026-12-06`) written in words, for a person. */
export const datesInWords = (text: string): string => text.replace(/\b(\d{4}-\d{2}-\d{2})\b/g, (date) => dateInWords(date));
