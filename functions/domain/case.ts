import * as z from 'zod';
import { DecidedAs } from './ssc-members';
import type { Deadline, WaitKind } from './deadlines';
import type { DeliveryProblem } from './delivery';
import { NotificationSubmission } from './notification';
import { type StoredEvent, plainEvent } from './history-chain';
import { ErasedValue } from './personal-data';
import { REGISTER_FINDINGS, type RegisterCheck } from './shared-resources';
import { SscDecisionKind } from './ssc-decision';
import { truncate } from './text';

/** The statuses a case ends in: closed, found out of scope by the SSC, withdrawn, or overdue at the hard limit of a wait. */
export const FINAL_STATUSES = [
  'Closed',
  'OutOfScope',
  'Withdrawn',
  'SscDecisionOverdue',
  'UserInformationOverdue',
  'AssessmentScheduleOverdue',
  'AssessmentOutcomeOverdue',
] as const;

/** Where a case stands. Every case ends in one of the final statuses. */
export const CaseStatus = z.enum([
  'Received',
  'AwaitingSscDecision',
  'AwaitingUserInformation',
  'DeferredToAnnualReview',
  'AwaitingAssessmentSchedule',
  'AwaitingAssessmentOutcome',
  'AssessmentOutcomeRecorded',
  ...FINAL_STATUSES,
]);
export type CaseStatus = z.infer<typeof CaseStatus>;

const FINAL: ReadonlySet<CaseStatus> = new Set(FINAL_STATUSES);

/** Whose move it is in each status that waits for a person. */
export const waitingOn: Partial<Record<CaseStatus, 'SSC' | 'User' | 'SECAS'>> = {
  AwaitingSscDecision: 'SSC',
  AwaitingUserInformation: 'User',
  AwaitingAssessmentSchedule: 'SECAS',
  AwaitingAssessmentOutcome: 'SECAS',
};
export const isFinal = (status: CaseStatus): boolean => FINAL.has(status);

/**
 * The status of a case while the workflow waits for each kind of resolution. A state that ends
 * a wait moves the status on in the same write, so a resolution is only ever taken (early, if
 * need be) for the wait that comes next, never for one that has just ended.
 */
export const awaitingStatus: Record<WaitKind, CaseStatus> = {
  SscDecision: 'AwaitingSscDecision',
  UserInformation: 'AwaitingUserInformation',
  AssessmentSchedule: 'AwaitingAssessmentSchedule',
  AssessmentOutcome: 'AwaitingAssessmentOutcome',
};

/** A User may withdraw until the SSC has decided (a request for more information is not a decision). */
export const WITHDRAWABLE: ReadonlyArray<CaseStatus> = ['Received', 'AwaitingSscDecision', 'AwaitingUserInformation'];

export const Actor = z.strictObject({
  kind: z.enum(['User', 'SSC', 'SECAS', 'System']),
  id: z.string().optional().describe('API caller, decision or assessment link id, or workflow state'),
  name: z.string().optional().describe('The person who acted through a link, as they gave their name on its page'),
});
export type Actor = z.infer<typeof Actor>;

/**
 * An event's text is a short note, or the start of a text the actor gave: long texts (advice,
 * questions, answers, reasons) are kept whole in their own fields, so the history of a case stays
 * small however long they are.
 */
export const MAX_EVENT_TEXT = 500;

export const eventText = (text: string): string => truncate(text, MAX_EVENT_TEXT);

/** One line of the audit history: who did what, when, and through which link or API call. */
export const CaseEvent = z.strictObject({
  at: z.iso.datetime(),
  type: z.string(),
  actor: Actor,
  text: z
    .string()
    .max(MAX_EVENT_TEXT)
    .optional()
    .describe(
      `A note, or the start of the text the actor gave (at most ${MAX_EVENT_TEXT} characters (Unicode code points); the whole text is in its own field: sscDecision.advice, informationExchanges, withdrawal.reason)`,
    ),
});
export type CaseEvent = z.infer<typeof CaseEvent>;

/** An event as the API shows it: with its place in the case's history. */
export const SequencedEvent = CaseEvent.extend({
  seq: z
    .int()
    .min(1)
    .describe(
      "The event's place in the case's history (1, 2, 3 …, never changing): the order the events were recorded in, which `at` cannot always tell (two events in one millisecond; an event stamped with the time of what it records, such as the SSC's decision; the sandbox's accelerated workflow clock)",
    ),
});
export type SequencedEvent = z.infer<typeof SequencedEvent>;

/**
 * A case's events numbered in the order they were recorded. Every write appends to the case
 * item's history in one atomic update, and compaction moves the oldest, in order, to numbered
 * pages, so an event's position in pages-then-item is the order of the writes: the sequence is
 * that position (which the chain's stored `seq` repeats, see history-chain.ts), so a case stored before
 * events were numbered reads the same. The chain's own fields are not part of the event as shown.
 */
export const inSequence = (events: StoredEvent[]): SequencedEvent[] => events.map((event, i) => ({ ...plainEvent(event), seq: i + 1 }));

export const SscDecisionRecord = z.strictObject({
  kind: SscDecisionKind,
  advice: z.string().describe("The SSC's written advice to the User (its question, for more information); empty when none"),
  decidedAt: z.iso.datetime(),
  decisionId: z.string(),
  decidedBy: z.string().describe('The SSC member who confirmed the decision, as they typed their name on its page'),
  decidedAs: DecidedAs.optional(),
});
export type SscDecisionRecord = z.infer<typeof SscDecisionRecord>;

export const InformationExchange = z.strictObject({
  question: z.string(),
  askedAt: z.iso.datetime(),
  answer: z.string(),
  answeredAt: z.iso.datetime(),
});
export type InformationExchange = z.infer<typeof InformationExchange>;

/** Assurance statuses of SEC G8.34 (as renamed by MP091). */
export const AssuranceStatus = z.enum(['Approved', 'ApprovedSubjectTo', 'Deferred', 'Rejected']);
export type AssuranceStatus = z.infer<typeof AssuranceStatus>;

export const AssessmentOutcome = z.strictObject({
  assuranceStatus: AssuranceStatus,
  conditions: z.string().optional().describe('The conditions of an "Approved, subject to" status'),
  reportReference: z.string().optional().describe('The User Security Assessment Report (G8.22)'),
  completedOn: z.iso.date(),
  recordedAt: z.iso.datetime(),
});
export type AssessmentOutcome = z.infer<typeof AssessmentOutcome>;

export const DeadlineView = z.strictObject({
  wait: z.enum(['SscDecision', 'UserInformation', 'AssessmentSchedule', 'AssessmentOutcome']),
  dueOn: z.iso.date().describe('Due by the end of this Working Day'),
  reminderAt: z.iso.datetime().optional(),
  escalationAt: z.iso.datetime(),
  hardLimitAt: z.iso.datetime(),
  meeting: z
    .strictObject({ on: z.iso.date(), papersBy: z.iso.date() })
    .optional()
    .describe("The SSC's decision only: the SSC meeting it is due at, and its paper deadline (the due date is earlier when the planned live date requires it)"),
});

/** The notice as a case holds it: as filed, its contact's address once erased by the retention schedule in the erased form (every other erased value is a text as before). */
export const StoredNotice = NotificationSubmission.extend({
  contact: NotificationSubmission.shape.contact.extend({ email: z.union([NotificationSubmission.shape.contact.shape.email, ErasedValue]) }),
});

/** JSON as the notice holds it: what a field was, or became, in an amendment. */
const FieldValue = z.unknown().describe("The field's value (absent: the field was not given)");

/** One amendment of the notice: the version it made, when, and each field's value before and after it. */
export const Amendment = z.strictObject({
  version: z.int().min(2).describe('The version of the notice this amendment made (the notice as filed is version 1)'),
  at: z.iso.datetime(),
  changes: z
    .array(
      z.strictObject({
        field: z.string().describe('JSON pointer of the field in the notification'),
        before: FieldValue.optional(),
        after: FieldValue.optional(),
      }),
    )
    .min(1),
});
export type Amendment = z.infer<typeof Amendment>;

/** The notice's version: 1 as filed, one more for each amendment (cases stored before amendments are at 1). */
export const versionOf = (record: Pick<CaseRecord, 'version'>): number => record.version ?? 1;

/** The case as the API shows it to the notifying User. */
export const NotificationCase = z
  .strictObject({
    reference: z
      .string()
      .describe("Human reference, e.g. SUS-NF29F-2026-0042 (the filing User's code, the year, its own sequence); also the workflow execution name"),
    status: CaseStatus,
    late: z.boolean().describe('Notified after the system was employed, or too close to its live date for the SSC to act'),
    lateReasons: z.array(z.string()),
    receivedAt: z.iso.datetime(),
    owner: z.string().describe('The OAuth client of the SEC User that filed it'),
    notification: StoredNotice,
    version: z
      .int()
      .min(1)
      .describe("The notice's version: 1 as filed, one more for each amendment. The ETag of the case is this number in quotes: send it as If-Match to amend"),
    amendments: z.array(Amendment).describe('Every amendment of the notice, oldest first: with the notice as it stands, every version of each field'),
    triage: z
      .strictObject({
        recommendation: SscDecisionKind.describe('What the facts given suggest to the SSC'),
        recommendationReasons: z.array(z.string()),
        decideBefore: z.iso.date().optional().describe('The last Working Day before the planned live date'),
        register: z
          .strictObject({
            finding: z.enum(REGISTER_FINDINGS),
            flagged: z.boolean().describe('True when the register does not bear out a deferral: the SSC is told first'),
            detail: z.string(),
          })
          .optional()
          .describe(
            "What SECAS's register of Shared Resource assessments said at intake of the provider the notice names (cases filed before the register have none)",
          ),
      })
      .describe('Triage on arrival, as shown to the SSC'),
    deadline: DeadlineView.optional().describe('The deadline of the wait the case is in now'),
    sscDecision: SscDecisionRecord.optional(),
    informationExchanges: z.array(InformationExchange),
    assessment: z.strictObject({ scheduledOn: z.iso.date().optional(), outcome: AssessmentOutcome.optional() }).optional(),
    withdrawal: z.strictObject({ at: z.iso.datetime(), reason: z.string() }).optional(),
    annualReview: z
      .strictObject({ reminderAt: z.iso.datetime().describe('When the User and SECAS are reminded that the new User System is in scope of the review') })
      .optional()
      .describe('A case deferred to the annual review: its reminder, scheduled outside the workflow'),
    deliveryProblems: z
      .array(
        z.strictObject({
          at: z.string(),
          notice: z.string().describe('Which notice, e.g. SscDecisionRequest, InformationRequest'),
          subject: z.string(),
          recipient: z.string(),
          recipientRole: z.enum(['User', 'SSC', 'SECAS', 'Unknown']),
          kind: z.enum(['Bounced', 'Rejected', 'MarkedAsSpam', 'Delayed']),
          detail: z.string().describe('What SES or the receiving server reported'),
        }),
      )
      .describe("The case's emails that did not arrive (bounced, rejected), were delayed, or were marked as spam"),
    history: z.array(SequencedEvent).describe('Every event of the case, in the order recorded (by `seq`)'),
    links: z.strictObject({ self: z.string() }),
  })
  .describe('A notification case');
export type NotificationCase = z.infer<typeof NotificationCase>;

/** How a wait was resolved by a person, kept until the workflow has taken it (see use-cases/waits.ts). */
export type WaitResolution = Record<string, unknown>;

/**
 * The case item as stored: its current state, plus what only the server may see. Its size is
 * bounded whatever happens to the case: the questions and answers are items of their own, and
 * its history holds the latest events only (older ones are moved to history pages, in order).
 */
export interface CaseRecord {
  reference: string;
  /** The OAuth client id of the User that filed it: only that User (and SECAS) may see it. */
  ownerId: string;
  status: CaseStatus;
  late: boolean;
  lateReasons: string[];
  receivedAt: string;
  submission: NotificationSubmission;
  /** The notice's version (see versionOf): absent until the first amendment. */
  version?: number;
  triage: { recommendation: SscDecisionKind; recommendationReasons: string[]; decideBefore?: string; register?: RegisterCheck };
  /** The latest events, chained (history-chain.ts); earlier ones are on the case's `historyPages` history pages. */
  history: StoredEvent[];
  /** How many pages of earlier history the case has. */
  historyPages: number;
  /** How many questions the SSC has asked (each with its answer, an item of its own). */
  informationRounds: number;
  sscDecision?: SscDecisionRecord;
  /**
   * Who took the SSC's decision through a link bound to them (the register of SSC members), written
   * with the claim: the workflow's own write of `sscDecision` carries the fields it always had, and
   * this joins it by decision id (see decisionOf). Absent for the SSC mailbox's links and older cases.
   */
  sscDecisionAs?: DecidedAs & { decisionId: string };
  deadline?: Deadline;
  assessment?: { targetBy?: string; scheduledOn?: string; outcome?: AssessmentOutcome };
  withdrawal?: { at: string; reason: string };
  /** A case deferred to the annual review: when its reminder is due, and the one-time schedule that sends it. */
  annualReview?: { remindAt: string; schedule: string };
  /** The SSC decision request now open, if any: its links resolve to the current wait. */
  openDecisionId?: string;
  /** SECAS's assessment record request now open (the date, then the outcome), if any: its link resolves to the current wait. */
  openAssessmentRecordId?: string;
  /**
   * The wait the workflow is in: its current task token (never leaves the server), whether the
   * people it depends on have been told, and a person's resolution once given. No token yet when
   * a resolution came before the task entered.
   */
  pendingWait?: {
    kind: WaitKind;
    taskToken?: string;
    notified?: boolean;
    resolution?: WaitResolution;
    /** The SSC's wait only: entered by a workflow that restarts it when the notice is amended (its task catches NoticeAmended). */
    amendable?: boolean;
    /** The SSC's wait only: the version of the notice its latest email showed. */
    toldVersion?: number;
  };
  /** Why the case's workflow could not be started, as the sweep last found (it keeps trying). */
  startFailure?: { at: string; error: string };
  /** The personal classes erased by the retention schedule, each with when (personal-data.ts, retention.ts). */
  erased?: Partial<Record<'contact' | 'typedNames' | 'freeTexts' | 'emails', string>>;
  /** The last time the case's workflow stopped on a fault, and whether SECAS has been told. */
  workflowFault?: { at: string; status: string; state?: string; error: string; alerted: boolean };
}

/** The whole case: its item, every event of its history in order, its questions and answers, and its emails' troubles. */
export interface CaseFile {
  record: CaseRecord;
  history: SequencedEvent[];
  informationExchanges: InformationExchange[];
  deliveryProblems: DeliveryProblem[];
  /** The notice's amendments, oldest first. */
  amendments: Amendment[];
}

/** The file of a case whose whole history is still on its item (a case just filed). */
/** The case's SSC decision, with who took it when the register knows (its attribution is for this decision, not an earlier round's). */
export const decisionOf = (record: Pick<CaseRecord, 'sscDecision' | 'sscDecisionAs'>): SscDecisionRecord | undefined => {
  const { sscDecision: decision, sscDecisionAs: as } = record;
  if (!decision || !as || as.decisionId !== decision.decisionId || decision.decidedAs) return decision;
  const { decisionId: _decisionId, ...decidedAs } = as;
  return { ...decision, decidedAs };
};

export const fileOf = (record: CaseRecord): CaseFile => ({
  record,
  history: inSequence(record.history),
  informationExchanges: [],
  deliveryProblems: [],
  amendments: [],
});

export const toCaseView = ({ record, history, informationExchanges, deliveryProblems, amendments }: CaseFile): NotificationCase => ({
  reference: record.reference,
  status: record.status,
  late: record.late,
  lateReasons: record.lateReasons,
  receivedAt: record.receivedAt,
  owner: record.ownerId,
  notification: record.submission,
  version: versionOf(record),
  amendments,
  triage: record.triage,
  ...(record.deadline && !isFinal(record.status)
    ? {
        deadline: {
          wait: record.deadline.wait,
          dueOn: record.deadline.dueOn,
          ...(record.deadline.reminderAt ? { reminderAt: record.deadline.reminderAt } : {}),
          escalationAt: record.deadline.escalationAt,
          hardLimitAt: record.deadline.hardLimitAt,
          ...(record.deadline.meeting ? { meeting: record.deadline.meeting } : {}),
        },
      }
    : {}),
  ...(record.sscDecision ? { sscDecision: decisionOf(record) as SscDecisionRecord } : {}),
  informationExchanges,
  ...(record.assessment && (record.assessment.scheduledOn || record.assessment.outcome)
    ? {
        assessment: {
          ...(record.assessment.scheduledOn ? { scheduledOn: record.assessment.scheduledOn } : {}),
          ...(record.assessment.outcome ? { outcome: record.assessment.outcome } : {}),
        },
      }
    : {}),
  ...(record.withdrawal ? { withdrawal: record.withdrawal } : {}),
  ...(record.annualReview ? { annualReview: { reminderAt: record.annualReview.remindAt } } : {}),
  // SES's message id stays with the case file (SECAS's console matches emails by it): the API declares no such field.
  deliveryProblems: deliveryProblems.map(({ messageId: _messageId, ...problem }) => problem),
  history,
  links: { self: `/notifications/${record.reference}` },
});

/** One line of GET /notifications. */
export const CaseSummary = z
  .strictObject({
    reference: z.string(),
    status: CaseStatus,
    late: z.boolean(),
    receivedAt: z.iso.datetime(),
    owner: z.string(),
    newUserSystem: z.string().describe("The new User System's name"),
    links: z.strictObject({ self: z.string() }),
  })
  .describe('A notification case, in a list');
export type CaseSummary = z.infer<typeof CaseSummary>;

export const toCaseSummary = (record: Pick<CaseRecord, 'reference' | 'status' | 'late' | 'receivedAt' | 'ownerId' | 'submission'>): CaseSummary => ({
  reference: record.reference,
  status: record.status,
  late: record.late,
  receivedAt: record.receivedAt,
  owner: record.ownerId,
  newUserSystem: record.submission.newUserSystem.name,
  links: { self: `/notifications/${record.reference}` },
});
