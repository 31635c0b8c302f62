import { mailboxes } from '../adapters/config';
import { listMembers } from '../adapters/ssc-member-register';
import {
  getCase,
  markDeliveryProblemAlerted,
  markPapersDeliveryProblemAlerted,
  recordDeliveryProblem,
  recordPapersDeliveryProblem,
} from '../adapters/cases-repository';
import { sendEmail } from '../adapters/mailer';
import { businessMetric, logger } from '../adapters/powertools';
import type { CaseEvent } from '../domain/case';
import {
  type DeliveryProblem,
  type SesEmailEvent,
  caseWaitsOn,
  deliveryProblemsOf,
  needsSecas,
  papersDeliveryProblemsOf,
  papersMeetingOf,
} from '../domain/delivery';
import { type Mailboxes, undeliveredNoticeEmail, undeliveredPapersEmail } from '../domain/emails';
import { isReference } from '../domain/reference';

const eventTypes = { Bounced: 'EmailBounced', Rejected: 'EmailRejected', MarkedAsSpam: 'EmailMarkedAsSpam', Delayed: 'EmailDelayed' } as const;

const auditEvent = (p: DeliveryProblem): CaseEvent => ({
  at: p.at,
  type: eventTypes[p.kind],
  actor: { kind: 'System', id: 'SES' },
  text: `${p.notice} to ${p.recipientRole} (${p.recipient}): ${p.detail}`,
});

/**
 * The SSC's addresses as a bounce knows them: its mailbox, and every member and Alternate in the
 * register (those who left too: an email sent before they left may bounce after), who are sent the
 * SSC's decision emails in its place.
 */
const withMembers = async (m: Mailboxes): Promise<Mailboxes> => {
  const members = await listMembers();
  return { ...m, ssc: [...m.ssc, ...members.flatMap((member) => [member.email, ...(member.alternate ? [member.alternate.email] : [])])] };
};

export interface DeliveryReport {
  reference?: string;
  /** The SSC meeting whose papers the event is about. */
  meetingOn?: string;
  recorded: number;
  alerted: number;
}

/**
 * SES reported trouble with one of a case's emails: each recipient's problem is recorded on the
 * case (so its history never says someone was told who was not), and when a notice to the User or
 * the SSC did not arrive, SECAS is emailed, and told whether the case waits on it. Safe to run
 * again for the same event: recorded once, SECAS told once.
 */
export const recordEmailEvent = async (event: SesEmailEvent): Promise<DeliveryReport> => {
  const reference = event.mail.tags.case?.[0];
  const meetingOn = papersMeetingOf(reference);
  if (meetingOn) return recordPapersEvent(meetingOn, event);
  if (!reference || !isReference(reference)) {
    logger.warn('an SES event for no case of ours', { messageId: event.mail.messageId, eventType: event.eventType });
    return { recorded: 0, alerted: 0 };
  }
  logger.appendKeys({ reference });
  const record = await getCase(reference);
  if (!record) {
    logger.error('an SES event for a case that does not exist', { reference, messageId: event.mail.messageId });
    return { reference, recorded: 0, alerted: 0 };
  }
  const report: DeliveryReport = { reference, recorded: 0, alerted: 0 };
  for (const problem of deliveryProblemsOf(event, record, await withMembers(mailboxes()))) {
    const outcome = await recordDeliveryProblem(reference, problem, auditEvent(problem));
    if (outcome === 'recorded') {
      report.recorded++;
      if (problem.kind === 'Bounced' || problem.kind === 'Rejected') businessMetric('UndeliveredEmails', { RecipientRole: problem.recipientRole });
    }
    logger.warn('an email of a case did not go as sent', { reference, notice: problem.notice, kind: problem.kind, recipientRole: problem.recipientRole });
    if (!needsSecas(problem) || outcome === 'already-alerted' || outcome === 'no-case') continue;
    await sendEmail(undeliveredNoticeEmail(record, problem, caseWaitsOn(problem.notice, record), mailboxes()), reference);
    await markDeliveryProblemAlerted(reference, problem);
    report.alerted++;
  }
  return report;
};

/**
 * SES reported trouble with an SSC meeting's papers: recorded under the meeting, and when they did
 * not reach one of the SSC's addresses, SECAS is emailed once (not when SECAS's own copy bounced:
 * no loop, and the SES reputation alarm covers it).
 */
const recordPapersEvent = async (meetingOn: string, event: SesEmailEvent): Promise<DeliveryReport> => {
  logger.appendKeys({ meetingOn });
  const report: DeliveryReport = { meetingOn, recorded: 0, alerted: 0 };
  for (const problem of papersDeliveryProblemsOf(event, mailboxes())) {
    const outcome = await recordPapersDeliveryProblem(meetingOn, problem);
    if (outcome === 'recorded') {
      report.recorded++;
      if (problem.kind === 'Bounced' || problem.kind === 'Rejected') businessMetric('UndeliveredEmails', { RecipientRole: problem.recipientRole });
    }
    logger.warn("an SSC meeting's papers did not go as sent", { meetingOn, kind: problem.kind, recipientRole: problem.recipientRole });
    if (!needsSecas(problem) || outcome === 'already-alerted') continue;
    await sendEmail(undeliveredPapersEmail(meetingOn, problem, mailboxes()), `MEETING-${meetingOn}`);
    await markPapersDeliveryProblemAlerted(meetingOn, problem);
    report.alerted++;
  }
  return report;
};
