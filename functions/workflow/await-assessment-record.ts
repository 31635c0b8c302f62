import * as z from 'zod';
import { mailboxes } from '../adapters/config';
import { markWaitNotified } from '../adapters/cases-repository';
import { sendEmail } from '../adapters/mailer';
import { assessmentRecordRequestEmail } from '../domain/emails';
import { assessmentLink } from '../use-cases/assessment-links';
import { enterCaseWait } from '../use-cases/waits';
import { workflowTask } from './task';

/**
 * AwaitAssessmentSchedule / AwaitAssessmentOutcome (.waitForTaskToken): until SECAS has been told,
 * asks it to record the assessment's date, then its outcome, through a signed link to a form (or
 * POST /notifications/{reference}/assessment from a system).
 */
export const handler = workflowTask(
  z.object({ reference: z.string(), taskToken: z.string().min(1), now: z.iso.datetime(), stage: z.enum(['AssessmentSchedule', 'AssessmentOutcome']) }),
  async ({ reference, taskToken, now, stage }) => {
    const entry = await enterCaseWait(reference, stage, taskToken);
    if (entry.resumed || !entry.notify) return {};
    const { record } = entry;
    if (!record.deadline) throw new Error(`case ${reference} has no ${stage} deadline`);
    await sendEmail(assessmentRecordRequestEmail(record, mailboxes(), record.deadline, await assessmentLink(record, stage)), reference);
    await markWaitNotified(reference, stage, { at: now, type: `${stage}RequestedFromSecas`, actor: { kind: 'System', id: `Await${stage}` } });
    return {};
  },
);
