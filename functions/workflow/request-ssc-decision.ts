import * as z from 'zod';
import { loadCase, markWaitNotified, openDecisionRequest } from '../adapters/cases-repository';
import { linkExpiry } from '../domain/signed-link';
import { sendEmail } from '../adapters/mailer';
import { sscDecisionRequestEmail } from '../domain/emails';
import { sscDecisionEmails } from '../use-cases/decision-links';
import { enterCaseWait } from '../use-cases/waits';
import { workflowTask } from './task';

/**
 * AwaitSscDecision (.waitForTaskToken): keeps the task token server-side behind an opaque
 * decision id and, until the SSC has been told, emails it one signed link per decision (each
 * member and Alternate in the register their own links; the SSC's mailbox when it is empty).
 * Re-entries (after a reminder) only hand the wait its new token.
 */
export const handler = workflowTask(
  z.object({ reference: z.string(), taskToken: z.string().min(1), now: z.iso.datetime() }),
  async ({ reference, taskToken, now: at }) => {
    const entry = await enterCaseWait(reference, 'SscDecision', taskToken);
    if (entry.resumed) return { resumed: true };
    const { record } = entry;
    if (record.deadline?.wait !== 'SscDecision') throw new Error(`case ${reference} has no SSC decision deadline`);
    const expires = linkExpiry(record.deadline.hardLimitAt, new Date());
    const { decisionId, expiresAt } = await openDecisionRequest(reference, expires);
    if (entry.notify) {
      const { deadline } = record;
      const exchanges = record.informationRounds ? ((await loadCase(reference))?.informationExchanges ?? []) : [];
      const expiresOn = new Date(expiresAt * 1000).toISOString().slice(0, 10);
      const emails = await sscDecisionEmails(record, decisionId, expiresAt, (to, links, recipient) =>
        sscDecisionRequestEmail(record, exchanges, to, links, deadline, expiresOn, recipient),
      );
      for (const email of emails) await sendEmail(email, reference);
      await markWaitNotified(reference, 'SscDecision', {
        at,
        type: 'SscDecisionRequested',
        actor: { kind: 'System', id: 'AwaitSscDecision' },
        text: `Due by ${record.deadline.dueOn}`,
      });
    }
    return { decisionId };
  },
);
