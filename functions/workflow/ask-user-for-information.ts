import * as z from 'zod';
import { markWaitNotified } from '../adapters/cases-repository';
import { sendEmail } from '../adapters/mailer';
import { informationRequestEmail } from '../domain/emails';
import { enterCaseWait } from '../use-cases/waits';
import { workflowTask } from './task';

/**
 * AwaitUserInformation (.waitForTaskToken): on first entry emails the User the SSC's question;
 * the User answers through POST /notifications/{reference}/information.
 */
export const handler = workflowTask(
  z.object({ reference: z.string(), taskToken: z.string().min(1), now: z.iso.datetime() }),
  async ({ reference, taskToken, now }) => {
    const entry = await enterCaseWait(reference, 'UserInformation', taskToken);
    if (entry.resumed || !entry.notify) return {};
    const { record } = entry;
    if (!record.deadline || !record.sscDecision) throw new Error(`case ${reference} has no open question`);
    await sendEmail(informationRequestEmail(record, record.sscDecision.advice, record.deadline), reference);
    await markWaitNotified(reference, 'UserInformation', {
      at: now,
      type: 'InformationRequestedFromUser',
      actor: { kind: 'System', id: 'AwaitUserInformation' },
      text: record.sscDecision.advice,
    });
    return {};
  },
);
