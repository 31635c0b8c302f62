import * as z from 'zod';
import { loadCase, markSscToldOf, openDecisionRequest } from '../adapters/cases-repository';
import { logger } from '../adapters/powertools';
import { changesSince } from '../domain/amendment';
import { versionOf } from '../domain/case';
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
 * Re-entries (after a reminder) only hand the wait its new token. `amendable`: this workflow
 * restarts the wait when the notice is amended (the release before it passes none), and the
 * SSC is then told again, of what changed since its last email, with fresh links.
 */
export const handler = workflowTask(
  z.object({ reference: z.string(), taskToken: z.string().min(1), now: z.iso.datetime(), amendable: z.literal(true).optional() }),
  async ({ reference, taskToken, now: at, amendable }) => {
    const entry = await enterCaseWait(reference, 'SscDecision', taskToken, amendable === true);
    if (entry.resumed) return { resumed: true };
    const { record } = entry;
    if (record.deadline?.wait !== 'SscDecision') throw new Error(`case ${reference} has no SSC decision deadline`);
    const expires = linkExpiry(record.deadline.hardLimitAt, new Date());
    const { decisionId, expiresAt } = await openDecisionRequest(reference, expires);
    if (entry.notify) {
      const { deadline } = record;
      const told = record.pendingWait?.toldVersion;
      const file = record.informationRounds || told !== undefined ? await loadCase(reference) : undefined;
      const amended = told !== undefined && told < versionOf(record) ? changesSince(file?.amendments ?? [], told) : undefined;
      const expiresOn = new Date(expiresAt * 1000).toISOString().slice(0, 10);
      const emails = await sscDecisionEmails(record, decisionId, expiresAt, (to, links, recipient) =>
        sscDecisionRequestEmail(record, file?.informationExchanges ?? [], to, links, deadline, expiresOn, recipient, amended),
      );
      for (const email of emails) await sendEmail(email, reference);
      const recorded = await markSscToldOf(reference, versionOf(record), {
        at,
        type: 'SscDecisionRequested',
        actor: { kind: 'System', id: 'AwaitSscDecision' },
        text: `Due by ${record.deadline.dueOn}${amended ? ` (notice amended, version ${versionOf(record)})` : ''}`,
      });
      // Amended while this email was made: the amendment restarts the wait, and the SSC is told of it then.
      if (!recorded) logger.info('the notice was amended while the SSC was being told; it will be told again', { reference });
    }
    return { decisionId };
  },
);
