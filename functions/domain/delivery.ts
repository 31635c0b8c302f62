import * as z from 'zod';
import type { CaseRecord, CaseStatus } from './case';
import type { Mailboxes, Notice } from './emails';
import { truncate } from './text';

/**
 * What SES reports back about a message after sending it: a bounce (it did not arrive), a reject
 * (SES would not send it), a complaint (it arrived and was marked as spam), or a delay (SES is
 * still trying). Each names the message's tags, so each is traced to its case and its notice.
 * The record is SES's event-publishing record, as EventBridge delivers it in `detail`.
 */
const recipients = z.array(z.object({ emailAddress: z.string(), diagnosticCode: z.string().optional(), status: z.string().optional() }).loose());

export const SesEmailEvent = z
  .object({
    eventType: z.enum(['Bounce', 'Complaint', 'DeliveryDelay', 'Reject']),
    mail: z
      .object({
        messageId: z.string(),
        timestamp: z.string(),
        destination: z.array(z.string()),
        tags: z.record(z.string(), z.array(z.string())).default({}),
        commonHeaders: z.object({ subject: z.string().optional() }).loose().optional(),
      })
      .loose(),
    bounce: z.object({ bounceType: z.string(), bounceSubType: z.string(), bouncedRecipients: recipients, timestamp: z.string() }).loose().optional(),
    complaint: z.object({ complainedRecipients: recipients, timestamp: z.string(), complaintFeedbackType: z.string().optional() }).loose().optional(),
    deliveryDelay: z.object({ delayType: z.string(), delayedRecipients: recipients, timestamp: z.string() }).loose().optional(),
    reject: z.object({ reason: z.string() }).loose().optional(),
  })
  .loose();
export type SesEmailEvent = z.infer<typeof SesEmailEvent>;

export type DeliveryProblemKind = 'Bounced' | 'Rejected' | 'MarkedAsSpam' | 'Delayed';
export type RecipientRole = 'User' | 'SSC' | 'SECAS' | 'Unknown';

/** One recipient's trouble with one message, as recorded on the case. */
export interface DeliveryProblem {
  at: string;
  messageId: string;
  notice: string;
  subject: string;
  recipient: string;
  recipientRole: RecipientRole;
  kind: DeliveryProblemKind;
  /** What SES or the receiving server said, cut to a note. */
  detail: string;
}

const cut = (text: string) => truncate(text, 300);

/** Whose mailbox an address is, of the product's own: the SSC's or SECAS's. */
export const mailboxRole = (address: string, m: Mailboxes): RecipientRole => {
  const a = address.toLowerCase();
  if (m.ssc.some((s) => s.toLowerCase() === a)) return 'SSC';
  if (m.secas.some((s) => s.toLowerCase() === a)) return 'SECAS';
  return 'Unknown';
};

export const recipientRole = (address: string, c: Pick<CaseRecord, 'submission'>, m: Mailboxes): RecipientRole =>
  c.submission.contact.email.toLowerCase() === address.toLowerCase() ? 'User' : mailboxRole(address, m);

/** The problems an SES event reports about a case's email, one per recipient it names. */
export const deliveryProblemsOf = (event: SesEmailEvent, c: Pick<CaseRecord, 'submission'>, m: Mailboxes): DeliveryProblem[] =>
  problemsOf(event, (address) => recipientRole(address, c, m));

/**
 * The meeting a message of an SSC meeting's papers is for, from its `case` tag (`MEETING-<date>`:
 * use-cases/meeting-papers.ts tags them so, as they are about no one case).
 */
export const papersMeetingOf = (tag: string | undefined): string | undefined => /^MEETING-(\d{4}-\d{2}-\d{2})$/.exec(tag ?? '')?.[1];

/** The problems an SES event reports about a meeting's papers (sent to the SSC and SECAS only). */
export const papersDeliveryProblemsOf = (event: SesEmailEvent, m: Mailboxes): DeliveryProblem[] => problemsOf(event, (address) => mailboxRole(address, m));

const problemsOf = (event: SesEmailEvent, roleOf: (address: string) => RecipientRole): DeliveryProblem[] => {
  const base = { messageId: event.mail.messageId, notice: event.mail.tags.notice?.[0] ?? 'Unknown', subject: event.mail.commonHeaders?.subject ?? '' };
  const each = (kind: DeliveryProblemKind, at: string, list: Array<{ emailAddress: string; detail: string }>) =>
    list.map(({ emailAddress, detail }) => ({
      ...base,
      at,
      kind,
      recipient: emailAddress,
      recipientRole: roleOf(emailAddress),
      detail: cut(detail),
    }));
  switch (event.eventType) {
    case 'Bounce': {
      const b = event.bounce;
      const why = `${b?.bounceType ?? ''} bounce (${b?.bounceSubType ?? ''})`;
      return each(
        'Bounced',
        b?.timestamp ?? event.mail.timestamp,
        (b?.bouncedRecipients ?? []).map((r) => ({ emailAddress: r.emailAddress, detail: r.diagnosticCode ? `${why}: ${r.diagnosticCode}` : why })),
      );
    }
    case 'Complaint': {
      const c2 = event.complaint;
      return each(
        'MarkedAsSpam',
        c2?.timestamp ?? event.mail.timestamp,
        (c2?.complainedRecipients ?? []).map((r) => ({
          emailAddress: r.emailAddress,
          detail: `complaint${c2?.complaintFeedbackType ? ` (${c2.complaintFeedbackType})` : ''}`,
        })),
      );
    }
    case 'DeliveryDelay': {
      const d = event.deliveryDelay;
      return each(
        'Delayed',
        d?.timestamp ?? event.mail.timestamp,
        (d?.delayedRecipients ?? []).map((r) => ({
          emailAddress: r.emailAddress,
          detail: `delayed (${d?.delayType ?? ''})${r.diagnosticCode ? `: ${r.diagnosticCode}` : ''}`,
        })),
      );
    }
    case 'Reject':
      return each(
        'Rejected',
        event.mail.timestamp,
        event.mail.destination.map((emailAddress) => ({ emailAddress, detail: `rejected by SES: ${event.reject?.reason ?? ''}` })),
      );
  }
};

/** The notices each wait depends on: the people who must act have been told through them. */
const waitedOnIn: Partial<Record<Notice, CaseStatus>> = {
  SscDecisionRequest: 'AwaitingSscDecision',
  SscDecisionReminder: 'AwaitingSscDecision',
  InformationRequest: 'AwaitingUserInformation',
  InformationReminder: 'AwaitingUserInformation',
};

/** Whether the case, as it stands, waits on people this notice was to tell. */
export const caseWaitsOn = (notice: string, c: Pick<CaseRecord, 'status'>): boolean => waitedOnIn[notice as Notice] === c.status;

/**
 * Whether SECAS must be told: a notice to the User or the SSC did not arrive. Not one to SECAS
 * (SECAS's own address is what failed; the SES reputation alarm and the case carry it), nor a
 * complaint or a delay (the message arrived, or may yet).
 */
export const needsSecas = (p: DeliveryProblem): boolean =>
  (p.kind === 'Bounced' || p.kind === 'Rejected') && (p.recipientRole === 'User' || p.recipientRole === 'SSC');
