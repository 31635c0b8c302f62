import * as z from 'zod';
import {
  type CaseFile,
  CaseStatus,
  DeadlineView,
  InformationExchange,
  NotificationCase,
  SequencedEvent,
  SscDecisionRecord,
  StoredNotice,
  toCaseView,
} from './case';
import type { WaitKind } from './deadlines';
import { type ChainReport, HistoryVerification } from './history-chain';

/**
 * The case file: the complete record of one case, for SECAS to put before the SSC, an auditor or
 * a dispute, and for a User the file of its own case. Assembled from the case's partition (its
 * item, history pages, questions and answers, delivery problems) and the verification of its
 * chain, by pure functions: what a reader sees depends on the case, its verification and the
 * reader, nothing else.
 */

const WAITS = ['SscDecision', 'UserInformation', 'AssessmentSchedule', 'AssessmentOutcome'] as const satisfies readonly WaitKind[];
const DEADLINE_STEPS = ['DeadlineSet', 'ReminderSent', 'EscalatedToSecas', 'RequestedFromSecas', 'Overdue'] as const;

export const CaseFileEmail = z.strictObject({
  seq: z.int().min(1).describe('The event that recorded the email'),
  at: z.iso.datetime(),
  type: z.string().describe("The recording event's type (AcknowledgementSent, SscDecisionReminderSent …)"),
  to: z.array(z.string()).describe('Its addresses, where the recording event names them'),
  toRole: z.enum(['User', 'SSC', 'SECAS']).optional().describe('Whom it went to, where the recording event names no address'),
  subject: z.string().optional(),
});

export const CaseFileDocument = z
  .strictObject({
    reference: z.string(),
    audience: z.enum(['SECAS', 'User']).describe("Whom the file is for: SECAS's is complete; a User's leaves out what `withheld` lists"),
    generatedAt: z.iso.datetime(),
    verification: HistoryVerification.describe(
      "The verification of the case's tamper-evident history, by the same verifier as GET /notifications/{reference}/verification: a broken chain is stated here, never an error",
    ),
    withheld: z.array(z.string()).describe('What this file leaves out for its reader, in words (none for SECAS)'),
    status: CaseStatus,
    receivedAt: z.iso.datetime(),
    owner: z.string().describe('The OAuth client of the SEC User that filed it'),
    notice: StoredNotice.describe(
      "The notice as it stands, at `version`: each earlier value of a field is in `amendments` (every other field's versions are in `history` and `deadlineEvents`; the chain's first event holds the digest of the case as filed)",
    ),
    version: NotificationCase.shape.version,
    amendments: NotificationCase.shape.amendments,
    lateness: z.strictObject({ late: z.boolean(), reasons: z.array(z.string()) }),
    triage: NotificationCase.shape.triage,
    sscDecision: SscDecisionRecord.extend({
      decisionId: SscDecisionRecord.shape.decisionId.optional().describe('The decision link it was taken through (SECAS only)'),
      decidedBy: SscDecisionRecord.shape.decidedBy.optional().describe('The SSC member who confirmed it, as they typed their name (SECAS only)'),
    })
      .optional()
      .describe("The SSC's latest decision (earlier ones, each a request for more information, are in `history` and `informationExchanges`)"),
    informationExchanges: z
      .array(InformationExchange.extend({ round: z.int().min(1) }))
      .describe('Every question of the SSC and the answer, by the time asked'),
    deadline: DeadlineView.optional().describe('The deadline of the wait the case is in now'),
    deadlineEvents: z
      .array(
        z.strictObject({
          seq: z.int().min(1),
          at: z.iso.datetime(),
          wait: z.enum(WAITS),
          step: z.enum(DEADLINE_STEPS),
          text: z.string().optional(),
        }),
      )
      .describe('Every deadline set, reminder, escalation, request to SECAS and overdue ending, in the order recorded'),
    assessment: NotificationCase.shape.assessment,
    withdrawal: NotificationCase.shape.withdrawal,
    annualReview: NotificationCase.shape.annualReview,
    emails: z.array(CaseFileEmail).describe('Every email the case sent, as its recording event names it, in the order recorded'),
    deliveryProblems: NotificationCase.shape.deliveryProblems,
    history: z.array(SequencedEvent).describe('Every event of the case, in the order recorded (by `seq`)'),
  })
  .describe('The complete file of a case');
export type CaseFileDocument = z.infer<typeof CaseFileDocument>;

export type Audience = CaseFileDocument['audience'];

/**
 * What a User's file of its own case leaves out, in one place: each rule with the words the file
 * states it in. Every event stays (its place, time and kind), so the User sees the whole course
 * of its case; the test holds that no withheld value appears anywhere in the User's JSON or page.
 */
export const WITHHELD_FROM_USER = {
  names: "The names SSC members and SECAS officers typed when they acted (the SSC decision's signatory and each event's actor)",
  ids: "The ids of the SSC's and SECAS's links and clients, and of the workflow's states (also in the verification's item keys)",
  notes: 'Internal notes: the text of events not addressed to the User (emails to the SSC and SECAS and their addresses, escalations, workflow faults)',
  emails: 'Emails addressed or copied to the SSC or SECAS, and the delivery problems of emails to them',
} as const;

/** Events whose text is written for the User: the SSC's decision, advice and question, its deadlines, the assessment's date and outcome. */
const textForUser = (event: SequencedEvent): boolean =>
  event.actor.kind === 'User' ||
  ['SscDecisionConfirmed', 'SscDecisionTaken', 'InformationRequestedFromUser', 'AssessmentScheduleRecorded', 'AssessmentOutcomeRecorded'].includes(
    event.type,
  ) ||
  event.type.endsWith('DeadlineSet');

/** An item's sort key without the ids and addresses after its kind and time (EXCHANGE#<askedAt>#<decision link id>, DELIVERY#<message>#<kind>#<recipient>). */
const itemKind = (sk: string): string => sk.split('#').slice(0, 2).join('#');

const forUser = (doc: CaseFileDocument): CaseFileDocument => {
  const contact = doc.notice.contact.email.toLowerCase();
  const toUserOnly = ({ to, toRole }: z.infer<typeof CaseFileEmail>) =>
    toRole ? toRole === 'User' : to.length > 0 && to.every((address) => address.toLowerCase() === contact);
  const { sscDecision, verification } = doc;
  return {
    ...doc,
    withheld: Object.values(WITHHELD_FROM_USER),
    ...(sscDecision ? { sscDecision: (({ decidedBy: _decidedBy, decisionId: _decisionId, ...rest }) => rest)(sscDecision) } : {}),
    verification: {
      ...verification,
      unchainedItems: verification.unchainedItems.map(itemKind),
      ...(verification.broken?.item ? { broken: { ...verification.broken, item: itemKind(verification.broken.item) } } : {}),
    },
    history: doc.history.map((event) => ({
      seq: event.seq,
      at: event.at,
      type: event.type,
      actor: event.actor.kind === 'User' ? event.actor : { kind: event.actor.kind },
      ...(event.text !== undefined && textForUser(event) ? { text: event.text } : {}),
    })),
    deadlineEvents: doc.deadlineEvents.map(({ text, ...step }) => ({ ...step, ...(text !== undefined && step.step === 'DeadlineSet' ? { text } : {}) })),
    emails: doc.emails.filter(toUserOnly),
    deliveryProblems: doc.deliveryProblems.filter((problem) => problem.recipientRole === 'User'),
  };
};

/** The emails whose recording event names no address, by whom they go to (request-ssc-decision.ts, ask-user-for-information.ts, await-assessment-record.ts). */
const recipientsOf = (type: string): 'User' | 'SSC' | 'SECAS' | undefined => {
  if (type === 'SscDecisionRequested') return 'SSC';
  if (type === 'InformationRequestedFromUser') return 'User';
  if (type.endsWith('RequestedFromSecas')) return 'SECAS';
  return undefined;
};

/** The writers record a sent email as an event whose text is `To <addresses>: <subject>` (send-case-email.ts, manage-deadline.ts …), or by its type alone. */
const emailOf = (event: SequencedEvent): z.infer<typeof CaseFileEmail> | undefined => {
  const toRole = recipientsOf(event.type);
  if (toRole) return { seq: event.seq, at: event.at, type: event.type, to: [], toRole };
  const sent = event.text ? /^To ([^:]+?)(?:: (.+))?$/s.exec(event.text) : null;
  if (!sent?.[1]) return undefined;
  return {
    seq: event.seq,
    at: event.at,
    type: event.type,
    to: sent[1].split(', ').map((address) => address.trim()),
    ...(sent[2] ? { subject: sent[2] } : {}),
  };
};

const deadlineStepOf = (event: SequencedEvent): CaseFileDocument['deadlineEvents'][number] | undefined => {
  for (const wait of WAITS)
    for (const step of DEADLINE_STEPS)
      if (event.type === `${wait}${step}`) return { seq: event.seq, at: event.at, wait, step, ...(event.text !== undefined ? { text: event.text } : {}) };
  return undefined;
};

/** The case file for its reader: the whole record for SECAS, a User's without what WITHHELD_FROM_USER lists. */
export const assembleCaseFile = (file: CaseFile, verification: ChainReport, audience: Audience, now: Date): CaseFileDocument => {
  const view = toCaseView(file);
  const history = [...view.history].sort((a, b) => a.seq - b.seq);
  const doc: CaseFileDocument = {
    reference: view.reference,
    audience: 'SECAS',
    generatedAt: now.toISOString(),
    verification,
    withheld: [],
    status: view.status,
    receivedAt: view.receivedAt,
    owner: view.owner,
    notice: view.notification,
    version: view.version,
    amendments: view.amendments,
    lateness: { late: view.late, reasons: view.lateReasons },
    triage: view.triage,
    ...(view.sscDecision ? { sscDecision: view.sscDecision } : {}),
    informationExchanges: [...view.informationExchanges].sort((a, b) => a.askedAt.localeCompare(b.askedAt)).map((x, i) => ({ round: i + 1, ...x })),
    ...(view.deadline ? { deadline: view.deadline } : {}),
    deadlineEvents: history.flatMap((event) => deadlineStepOf(event) ?? []),
    ...(view.assessment ? { assessment: view.assessment } : {}),
    ...(view.withdrawal ? { withdrawal: view.withdrawal } : {}),
    ...(view.annualReview ? { annualReview: view.annualReview } : {}),
    emails: history.flatMap((event) => emailOf(event) ?? []),
    deliveryProblems: [...view.deliveryProblems].sort((a, b) => a.at.localeCompare(b.at)),
    history,
  };
  return audience === 'User' ? { ...forUser(doc), audience } : doc;
};
