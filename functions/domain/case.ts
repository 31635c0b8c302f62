import * as z from 'zod';
import { NotificationSubmission } from './notification';
import { SscDecisionKind } from './ssc-decision';

/** Where a case stands. Every case ends in one of the final statuses. */
export const CaseStatus = z.enum([
  'Received',
  'AwaitingSscDecision',
  'SscDecided',
  'Closed',
  'SscDecisionOverdue',
]);
export type CaseStatus = z.infer<typeof CaseStatus>;

export const Actor = z.strictObject({
  kind: z.enum(['User', 'SSC', 'SECAS', 'System']),
  id: z.string().optional().describe('API caller, decision link id, or workflow state'),
});
export type Actor = z.infer<typeof Actor>;

/** One line of the audit history: who did what, when, and through which link or API call. */
export const CaseEvent = z.strictObject({
  at: z.iso.datetime(),
  type: z.string(),
  actor: Actor,
  text: z.string().optional().describe('Text the actor gave (advice, question, answer)'),
});
export type CaseEvent = z.infer<typeof CaseEvent>;

export const SscDecisionRecord = z.strictObject({
  kind: SscDecisionKind,
  advice: z.string().describe('The SSC\'s written advice to the User; empty when none was given'),
  decidedAt: z.iso.datetime(),
  decisionId: z.string(),
});
export type SscDecisionRecord = z.infer<typeof SscDecisionRecord>;

/** The case as the API shows it to the notifying User. */
export const NotificationCase = z
  .strictObject({
    reference: z.string().describe('Human reference, e.g. SUS-2026-0042; also the workflow execution name'),
    status: CaseStatus,
    late: z.boolean().describe('Notified after the system was employed, or too close to its live date for the SSC to act'),
    lateReasons: z.array(z.string()),
    receivedAt: z.iso.datetime(),
    notification: NotificationSubmission,
    sscDecision: SscDecisionRecord.optional(),
    history: z.array(CaseEvent),
    links: z.strictObject({ self: z.string() }),
  })
  .describe('A notification case');
export type NotificationCase = z.infer<typeof NotificationCase>;

export const isFinal = (status: CaseStatus): boolean => status === 'Closed' || status === 'SscDecisionOverdue';

/** The case as stored: the API view plus what only the server may see. */
export interface CaseRecord {
  reference: string;
  status: CaseStatus;
  late: boolean;
  lateReasons: string[];
  receivedAt: string;
  submission: NotificationSubmission;
  history: CaseEvent[];
  sscDecision?: SscDecisionRecord;
  /** The SSC decision request now open, if any: its links resolve to the current wait. */
  openDecisionId?: string;
}

export const toCaseView = (record: CaseRecord): NotificationCase => ({
  reference: record.reference,
  status: record.status,
  late: record.late,
  lateReasons: record.lateReasons,
  receivedAt: record.receivedAt,
  notification: record.submission,
  ...(record.sscDecision ? { sscDecision: record.sscDecision } : {}),
  history: record.history,
  links: { self: `/notifications/${record.reference}` },
});
