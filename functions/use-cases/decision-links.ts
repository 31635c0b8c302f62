import { setting } from '../adapters/config';
import { listMembers } from '../adapters/ssc-member-register';
import { linkKeyring } from '../adapters/link-keyring';
import type { CaseRecord } from '../domain/case';
import { decisionLinkQuery } from '../domain/decision-link';
import type { DecisionLinks, EmailMessage } from '../domain/emails';
import { offeredDecisions } from '../domain/ssc-decision';
import { type LinkHolder, decisionRecipients } from '../domain/ssc-members';

/**
 * The SSC's signed links for one decision request: one per decision offered on the case (no
 * further question once the SSC has asked its most), deterministic, so reminders repeat them;
 * bound to `holder` when they are emailed to one person in the register of SSC members.
 */
export const decisionLinks = async (
  c: Pick<CaseRecord, 'informationRounds'>,
  decisionId: string,
  expires: number,
  holder?: LinkHolder,
): Promise<DecisionLinks> => {
  const keyring = await linkKeyring();
  const base = setting('PUBLIC_BASE_URL').replace(/\/$/, '');
  return Object.fromEntries(
    offeredDecisions(c.informationRounds ?? 0).map((decision) => [
      decision,
      `${base}/decisions/${decisionId}?${decisionLinkQuery({ decisionId, decision, expires, ...(holder ? { holder } : {}) }, keyring)}`,
    ]),
  );
};

/**
 * The SSC's emails for one decision request: one to each current member and Alternate in the
 * register, with links bound to that person; or, with nobody in the register, one to the SSC's
 * mailbox with unbound links, as before the register.
 */
export const sscDecisionEmails = async (
  c: Pick<CaseRecord, 'informationRounds'>,
  decisionId: string,
  expires: number,
  compose: (to: string[], links: DecisionLinks, recipient?: string) => EmailMessage,
): Promise<EmailMessage[]> => {
  const recipients = decisionRecipients(await listMembers());
  if (!recipients.length) return [compose(setting('SSC_ADDRESSES'), await decisionLinks(c, decisionId, expires))];
  const emails: EmailMessage[] = [];
  for (const r of recipients) emails.push(compose([r.email], await decisionLinks(c, decisionId, expires, r.holder), r.name));
  return emails;
};
