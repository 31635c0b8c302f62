import * as z from 'zod';
import { mailboxes } from '../adapters/config';
import { appendCaseEvent, getCase } from '../adapters/cases-repository';
import { sendEmail } from '../adapters/mailer';
import type { CaseRecord } from '../domain/case';
import {
  type EmailMessage,
  type Mailboxes,
  acknowledgementEmail,
  adHocAssessmentAdviceEmail,
  annualReviewReminderEmail,
  assessmentFindingEscalationEmail,
  assessmentOutcomeEmail,
  assessmentScheduledEmail,
  deferralAdviceEmail,
  outOfScopeAdviceEmail,
  lateNoticeToSecasEmail,
  overdueNoticeEmail,
  withdrawalEmail,
} from '../domain/emails';
import { businessMetric } from '../adapters/powertools';
import { workflowTask } from './task';
import { sscMailboxes } from '../use-cases/ssc-mailboxes';

/** The messages the workflow sends as it goes, each with the audit event that records it. */
const messages = {
  Acknowledgement: { event: 'AcknowledgementSent', render: acknowledgementEmail },
  LateNoticeToSecas: { event: 'LateNoticeCopiedToSecas', render: lateNoticeToSecasEmail },
  DeferralAdvice: { event: 'AdviceSent', render: deferralAdviceEmail },
  AdHocAssessmentAdvice: { event: 'AdviceSent', render: adHocAssessmentAdviceEmail },
  OutOfScopeAdvice: { event: 'AdviceSent', render: outOfScopeAdviceEmail },
  AssessmentScheduled: { event: 'AssessmentDateSentToUser', render: assessmentScheduledEmail },
  AssessmentOutcome: { event: 'AssessmentOutcomeSentToUser', render: assessmentOutcomeEmail },
  AssessmentFindingEscalation: { event: 'AssessmentFindingEscalatedToSecas', render: assessmentFindingEscalationEmail },
  AnnualReviewReminder: { event: 'AnnualReviewReminderSent', render: annualReviewReminderEmail },
  Withdrawal: { event: 'WithdrawalNotified', render: withdrawalEmail },
  OverdueNotice: { event: 'OverdueNoticeSent', render: overdueNoticeEmail },
} satisfies Record<string, { event: string; render: (c: CaseRecord, m: Mailboxes) => EmailMessage }>;

/** The messages that go to the SSC too: the register of its members is read for them only. */
const TO_THE_SSC = new Set<keyof typeof messages>(['Withdrawal', 'OverdueNotice', 'AssessmentFindingEscalation']);

/** SendCaseEmail: renders one of the messages above for the case and sends it. */
export const handler = workflowTask(
  z.object({ reference: z.string(), message: z.enum(Object.keys(messages) as [keyof typeof messages]), now: z.iso.datetime() }),
  async ({ reference, message, now }) => {
    const record = await getCase(reference);
    if (!record) throw new Error(`case ${reference} does not exist`);
    const { event, render } = messages[message];
    const email = render(record, TO_THE_SSC.has(message) ? await sscMailboxes() : mailboxes());
    await sendEmail(email, reference);
    await appendCaseEvent(reference, {
      at: now,
      type: event,
      actor: { kind: 'System', id: 'SendCaseEmail' },
      text: `To ${email.to.join(', ')}: ${email.subject}`,
    });
    // Sent once per ending and per outcome: the workflow's own writes before them cannot emit metrics.
    if (message === 'OverdueNotice') businessMetric('OverdueEndings', { Wait: record.status.replace(/Overdue$/, '') });
    if (message === 'AssessmentOutcome' && record.assessment?.outcome)
      businessMetric('AssessmentOutcomes', { AssuranceStatus: record.assessment.outcome.assuranceStatus });
    return { sent: message };
  },
);
