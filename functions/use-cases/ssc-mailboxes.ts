import { mailboxes } from '../adapters/config';
import { listMembers } from '../adapters/ssc-member-register';
import type { Mailboxes } from '../domain/emails';
import { decisionRecipients } from '../domain/ssc-members';

/**
 * Where the SSC's emails go: to each current member and Alternate in the register of SSC members,
 * or, with nobody in it, to the SSC's mailbox, as before the register (SEC's SSC is a committee;
 * issue 19 part 4). SECAS's addresses as configured.
 */
export const sscMailboxes = async (): Promise<Mailboxes> => {
  const m = mailboxes();
  const people = decisionRecipients(await listMembers());
  return people.length ? { ...m, ssc: people.map((p) => p.email) } : m;
};
