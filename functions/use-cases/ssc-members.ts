import { randomBytes } from 'node:crypto';
import { getMember, listMembers, saveMember } from '../adapters/ssc-member-register';
import { logger } from '../adapters/powertools';
import { Problem, notFound } from '../domain/problem';
import {
  type AddMemberRequest,
  type AppointAlternateRequest,
  type MemberRemovalRequest,
  type SscMember,
  addMember,
  appointAlternate,
  isPersonId,
  removeAlternate,
  removeMember,
  viewOfMember,
} from '../domain/ssc-members';

/** SECAS keeps the register of SSC members: each change read, decided by the domain, and written only if nobody changed the member meanwhile. */

/** 72 random bits, URL-safe: 12 characters (PERSON_ID_PATTERN). */
const newPersonId = (): string => randomBytes(9).toString('base64url');

const current = async (memberId: string): Promise<SscMember> => {
  // An id that cannot be one is not looked up (a key too long, or a probe).
  const member = isPersonId(memberId) ? await getMember(memberId) : undefined;
  if (!member || member.removedAt) throw notFound('The SSC member');
  return member;
};

export const members = async () => {
  const all = await listMembers();
  return {
    items: all
      .filter((m) => !m.removedAt)
      .sort((a, b) => a.name.localeCompare(b.name))
      .map(viewOfMember),
    former: all
      .filter((m) => m.removedAt)
      .sort((a, b) => (b.removedAt ?? '').localeCompare(a.removedAt ?? ''))
      .map(viewOfMember),
  };
};

export const member = async (memberId: string) => viewOfMember(await current(memberId));

export const addSscMember = async (request: AddMemberRequest, by: string, now: Date) => {
  const added = addMember(await listMembers(), request, newPersonId(), by, now);
  await saveMember(added);
  logger.info('an SSC member added', { memberId: added.memberId });
  return viewOfMember(added);
};

export const appointSscAlternate = async (memberId: string, request: AppointAlternateRequest, by: string, now: Date) => {
  const changed = appointAlternate(await listMembers(), await current(memberId), request, newPersonId(), by, now);
  await saveMember(changed);
  logger.info('an SSC Alternate appointed', { memberId, alternateId: changed.alternate?.alternateId });
  return viewOfMember(changed);
};

export const removeSscAlternate = async (memberId: string, request: MemberRemovalRequest, by: string, now: Date) => {
  const changed = removeAlternate(await current(memberId), request, by, now);
  if (!changed) throw new Problem(409, 'conflict', 'Conflict', 'The member has no Alternate; nothing was changed.');
  await saveMember(changed);
  logger.info('an SSC Alternate removed', { memberId });
  return viewOfMember(changed);
};

export const removeSscMember = async (memberId: string, request: MemberRemovalRequest, by: string, now: Date) => {
  const changed = removeMember(await current(memberId), request, by, now);
  await saveMember(changed);
  logger.info('an SSC member removed', { memberId });
  return viewOfMember(changed);
};
