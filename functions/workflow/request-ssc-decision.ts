import * as z from 'zod';
import { getCase, openDecisionRequest } from '../adapters/cases-repository';
import { config, required } from '../adapters/config';
import { linkKeyring } from '../adapters/link-keyring';
import { sendEmail } from '../adapters/mailer';
import { decisionLinkQuery } from '../domain/decision-link';
import { sscDecisionRequestEmail } from '../domain/emails';
import { SscDecisionKind } from '../domain/ssc-decision';
import { workflowTask } from './task';

/**
 * RequestSscDecision (.waitForTaskToken): keeps the task token server-side behind an opaque
 * decision id and emails the SSC one signed link per decision. The workflow waits until a
 * link's confirmation page resumes it, or the wait times out.
 */
export const handler = workflowTask(
  z.object({ reference: z.string(), taskToken: z.string().min(1) }),
  async ({ reference, taskToken }) => {
    const { SSC_ADDRESSES, DECISION_LINK_VALIDITY_DAYS } = config();
    const baseUrl = required('PUBLIC_BASE_URL').replace(/\/$/, '');
    const now = new Date();
    const record = await getCase(reference);
    if (!record) throw new Error(`case ${reference} does not exist`);
    const { decisionId, expiresAt } = await openDecisionRequest({
      reference,
      taskToken,
      expiresAt: Math.floor(now.getTime() / 1000) + DECISION_LINK_VALIDITY_DAYS * 86_400,
      event: { at: now.toISOString(), type: 'SscDecisionRequested', actor: { kind: 'System', id: 'RequestSscDecision' } },
    });
    const keyring = await linkKeyring();
    const links = Object.fromEntries(
      SscDecisionKind.options.map((kind) => [
        kind,
        `${baseUrl}/decisions/${decisionId}?${decisionLinkQuery({ decisionId, decision: kind, expires: expiresAt }, keyring)}`,
      ]),
    ) as Record<SscDecisionKind, string>;
    const expiresOn = new Date(expiresAt * 1000).toISOString().slice(0, 10);
    await sendEmail(sscDecisionRequestEmail(record, SSC_ADDRESSES, links, expiresOn), reference);
    return { decisionId };
  },
);
