import * as z from 'zod';
import { deadlineSettings, mailboxes, meetingCalendar } from '../adapters/config';
import { getCase, getDecisionRequest, updateCase } from '../adapters/cases-repository';
import { sendEmail } from '../adapters/mailer';
import { type CaseRecord, awaitingStatus } from '../domain/case';
import { type Deadline, type WaitKind, nextCheckpoint, sscDecisionDeadline, startDeadline } from '../domain/deadlines';
import { requireNextMeeting } from '../domain/ssc-meetings';
import { londonDate } from '../domain/working-days';
import { type EmailMessage, assessmentReminderEmail, dueText, escalationEmail, informationReminderEmail, sscDecisionReminderEmail } from '../domain/emails';
import { assessmentLink } from '../use-cases/assessment-links';
import { sscDecisionEmails } from '../use-cases/decision-links';
import { businessMetric } from '../adapters/powertools';
import { workflowTask } from './task';

/**
 * Start<Wait>Deadline, Remind…, Escalate…: starts a wait's deadline in SEC Working Days, or
 * acts at one of its checkpoints, and tells the workflow how long to wait until the next.
 * `now` comes from the workflow ($$.State.EnteredTime), so the sandbox's accelerated clock
 * and AWS's real one drive the same arithmetic and stamp the same audit events.
 */
const startFor = (c: CaseRecord, wait: WaitKind, now: Date): Deadline =>
  wait === 'SscDecision'
    ? // No meeting ahead is a configuration error: the task fails, the execution stops and SECAS is alerted; redrive once corrected.
      sscDecisionDeadline(now, requireNextMeeting(meetingCalendar(), londonDate(now)), deadlineSettings(), c.triage.decideBefore)
    : startDeadline(wait, now, deadlineSettings(), wait === 'AssessmentOutcome' && c.assessment?.scheduledOn ? { anchorOn: c.assessment.scheduledOn } : {});

const remindersFor = async (c: CaseRecord, d: Deadline): Promise<EmailMessage[]> => {
  switch (d.wait) {
    case 'SscDecision': {
      const request = c.openDecisionId ? await getDecisionRequest(c.openDecisionId) : undefined;
      if (!request) throw new Error(`case ${c.reference} has no open decision request`);
      return sscDecisionEmails(c, request.decisionId, request.expiresAt, (to, links, recipient) => sscDecisionReminderEmail(c, to, links, d, recipient));
    }
    case 'UserInformation':
      return [informationReminderEmail(c, d)];
    default:
      return [assessmentReminderEmail(c, mailboxes(), d, await assessmentLink(c, d.wait))];
  }
};

/** SECAS is the one to act on an assessment wait: its escalation carries the form's link. */
const escalationFor = async (c: CaseRecord, d: Deadline): Promise<EmailMessage> =>
  escalationEmail(c, mailboxes(), d, d.wait === 'AssessmentSchedule' || d.wait === 'AssessmentOutcome' ? await assessmentLink(c, d.wait) : undefined);

export const handler = workflowTask(
  z.object({
    reference: z.string(),
    wait: z.enum(['SscDecision', 'UserInformation', 'AssessmentSchedule', 'AssessmentOutcome']),
    action: z.enum(['Start', 'Reminder', 'Escalation']),
    now: z.iso.datetime(),
  }),
  async ({ reference, wait, action, now: nowText }) => {
    const now = new Date(nowText);
    const record = await getCase(reference);
    if (!record) throw new Error(`case ${reference} does not exist`);
    const actor = { kind: 'System' as const, id: 'ManageDeadline' };
    if (action === 'Start') {
      const deadline = startFor(record, wait, now);
      await updateCase(
        reference,
        {
          deadline,
          status: awaitingStatus[wait],
          ...(wait === 'AssessmentSchedule' ? { assessment: { ...record.assessment, targetBy: deadline.dueOn } } : {}),
        },
        { at: now.toISOString(), type: `${wait}DeadlineSet`, actor, text: `Due by ${dueText(deadline)}` },
      );
      return nextCheckpoint(deadline, now);
    }
    const deadline = record.deadline;
    if (!deadline || deadline.wait !== wait) throw new Error(`case ${reference} has no ${wait} deadline`);
    const emails = action === 'Reminder' ? await remindersFor(record, deadline) : [await escalationFor(record, deadline)];
    for (const email of emails) await sendEmail(email, reference);
    await updateCase(
      reference,
      {},
      {
        at: now.toISOString(),
        type: action === 'Reminder' ? `${wait}ReminderSent` : `${wait}EscalatedToSecas`,
        actor,
        text: `To ${emails.flatMap((email) => email.to).join(', ')}`,
      },
    );
    if (action === 'Escalation') businessMetric('Escalations', { Wait: wait });
    return nextCheckpoint(deadline, now);
  },
);
