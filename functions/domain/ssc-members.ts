import * as z from 'zod';
import { invalidFields } from './problem';
import { line } from './text';

/**
 * The register of SSC members and their Alternates, which SECAS keeps. The SSC's decision emails
 * go to each current member and Alternate, each with links bound to that person (signed into the
 * link), so the decision is recorded as taken by the member, or by an Alternate for the member; a
 * person who leaves the register (a member removed, an Alternate removed or replaced) finds their
 * links refused. With nobody in the register the SSC's mailbox gets the email, as before it.
 * Every change names the SECAS officer.
 */

/** A member's or Alternate's id: 12 URL-safe characters, random (never derived from a name or an address, which a later person may share). */
export const PERSON_ID_PATTERN = /^[A-Za-z0-9_-]{12}$/;
export const isPersonId = (value: string): boolean => PERSON_ID_PATTERN.test(value);

export interface SscAlternate {
  alternateId: string;
  name: string;
  email: string;
  appointedAt: string;
}

export interface MemberAuditEntry {
  at: string;
  action: 'member-added' | 'alternate-appointed' | 'alternate-removed' | 'member-removed';
  /** The SECAS officer who made the change, as typed. */
  officer: string;
  /** SECAS's machine client that made the call. */
  by: string;
  /** The Alternate appointed or removed. */
  alternate?: { alternateId: string; name: string };
}

export interface SscMember {
  memberId: string;
  name: string;
  email: string;
  alternate?: SscAlternate;
  /** When the member left the register: their item stays, for its audit trail, and their links stop working. */
  removedAt?: string;
  audit: MemberAuditEntry[];
  createdAt: string;
  updatedAt: string;
  /** Raised by each change: a write is conditional on the version it read, so two officers never overwrite each other. */
  version: number;
}

// ---- the requests SECAS sends --------------------------------------------------------------------

const officer = line(200).describe('The full name of the SECAS officer making this change (recorded in the audit trail)');
const person = {
  name: line(200).describe("The person's full name, as the SSC's records give it"),
  email: z.email().max(254).describe('Where the SSC decision emails for this person go'),
};

export const AddMemberRequest = z.strictObject({ ...person, officer }).describe('POST /ssc-members');
export type AddMemberRequest = z.infer<typeof AddMemberRequest>;

export const AppointAlternateRequest = z.strictObject({ ...person, officer }).describe('PUT /ssc-members/{memberId}/alternate');
export type AppointAlternateRequest = z.infer<typeof AppointAlternateRequest>;

export const MemberRemovalRequest = z.strictObject({ officer }).describe('POST /ssc-members/{memberId}/removal and /ssc-members/{memberId}/alternate/removal');
export type MemberRemovalRequest = z.infer<typeof MemberRemovalRequest>;

export const MemberView = z
  .object({
    memberId: z.string(),
    name: z.string(),
    email: z.string(),
    alternate: z.object({ alternateId: z.string(), name: z.string(), email: z.string(), appointedAt: z.string() }).optional(),
    removedAt: z.string().optional().describe('When the member left the register (their links no longer work)'),
    audit: z.array(
      z.object({
        at: z.string(),
        action: z.string(),
        officer: z.string(),
        by: z.string(),
        alternate: z.object({ alternateId: z.string(), name: z.string() }).optional(),
      }),
    ),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .describe('An SSC member in the register, with their Alternate and audit trail');
export const MemberList = z
  .object({
    items: z.array(MemberView).describe('The current members, by name'),
    former: z.array(MemberView).describe('Members who have left the register, most recent first'),
  })
  .describe('The register of SSC members and their Alternates');

export const viewOfMember = ({ version: _version, ...member }: SscMember) => member;

// ---- changes -------------------------------------------------------------------------------------

const sameAddress = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** The current members' and Alternates' addresses, each with who holds it: one person, one address. */
const holders = (members: SscMember[]) =>
  members
    .filter((m) => !m.removedAt)
    .flatMap((m) => [
      { email: m.email, who: `member ${m.name}`, memberId: m.memberId, role: 'member' as const },
      ...(m.alternate
        ? [{ email: m.alternate.email, who: `${m.alternate.name}, Alternate for ${m.name}`, memberId: m.memberId, role: 'alternate' as const }]
        : []),
    ]);

const addressTaken = (members: SscMember[], email: string, except?: { memberId: string; role: 'member' | 'alternate' }) => {
  const holder = holders(members).find((h) => sameAddress(h.email, email) && !(except && h.memberId === except.memberId && h.role === except.role));
  return holder
    ? invalidFields([{ pointer: '/email', detail: `${email} is already in the register (${holder.who}): each person has one address there` }])
    : undefined;
};

export const addMember = (current: SscMember[], request: AddMemberRequest, memberId: string, by: string, now: Date): SscMember => {
  const taken = addressTaken(current, request.email);
  if (taken) throw taken;
  const at = now.toISOString();
  return {
    memberId,
    name: request.name,
    email: request.email,
    audit: [{ at, action: 'member-added', officer: request.officer, by }],
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
};

/** Appoints the member's Alternate, replacing any other (whose links then stop working). */
export const appointAlternate = (
  current: SscMember[],
  member: SscMember,
  request: AppointAlternateRequest,
  alternateId: string,
  by: string,
  now: Date,
): SscMember => {
  const taken = addressTaken(current, request.email, { memberId: member.memberId, role: 'alternate' });
  if (taken) throw taken;
  const at = now.toISOString();
  const alternate = { alternateId, name: request.name, email: request.email, appointedAt: at };
  return {
    ...member,
    alternate,
    audit: [...member.audit, { at, action: 'alternate-appointed', officer: request.officer, by, alternate: { alternateId, name: request.name } }],
    updatedAt: at,
    version: member.version + 1,
  };
};

/** Removes the member's Alternate; undefined when the member has none (nothing to change). */
export const removeAlternate = (member: SscMember, request: MemberRemovalRequest, by: string, now: Date): SscMember | undefined => {
  if (!member.alternate) return undefined;
  const { alternate: gone, ...rest } = member;
  const at = now.toISOString();
  return {
    ...rest,
    audit: [...member.audit, { at, action: 'alternate-removed', officer: request.officer, by, alternate: { alternateId: gone.alternateId, name: gone.name } }],
    updatedAt: at,
    version: member.version + 1,
  };
};

/** Removes the member (and so their Alternate): the item stays, with its audit trail, and every link bound to either stops working. */
export const removeMember = (member: SscMember, request: MemberRemovalRequest, by: string, now: Date): SscMember => {
  const { alternate: _alternate, ...rest } = member;
  const at = now.toISOString();
  return {
    ...rest,
    removedAt: at,
    audit: [...member.audit, { at, action: 'member-removed', officer: request.officer, by }],
    updatedAt: at,
    version: member.version + 1,
  };
};

// ---- who decides ---------------------------------------------------------------------------------

/** The person a decision link is bound to: a member, or an Alternate for the member. */
export interface LinkHolder {
  memberId: string;
  alternateId?: string;
}

/** Who took a decision, by the register as it stood when they took it. */
export const DecidedAs = z
  .strictObject({
    memberId: z.string().describe("The member's id in the register"),
    member: z.string().describe("The member's name"),
    alternate: z.string().optional().describe("The Alternate's name, when the Alternate's link was used"),
  })
  .describe('Who took the decision, from the register and the link bound to them (absent for a decision taken through the SSC mailbox)');
export type DecidedAs = z.infer<typeof DecidedAs>;

/** One SSC decision email's recipient: a current member or Alternate, with the holder their links are bound to. */
export interface DecisionRecipient {
  name: string;
  email: string;
  holder: LinkHolder;
}

export const decisionRecipients = (members: SscMember[]): DecisionRecipient[] =>
  members
    .filter((m) => !m.removedAt)
    .flatMap((m) => [
      { name: m.name, email: m.email, holder: { memberId: m.memberId } },
      ...(m.alternate
        ? [
            {
              name: `${m.alternate.name} (Alternate for ${m.name})`,
              email: m.alternate.email,
              holder: { memberId: m.memberId, alternateId: m.alternate.alternateId },
            },
          ]
        : []),
    ]);

/**
 * Who a link's holder is in the register now: undefined when they have left it (the member
 * removed, or the Alternate removed or replaced by another), so their link no longer decides.
 */
export const standingOf = (member: SscMember | undefined, holder: LinkHolder): DecidedAs | undefined => {
  if (!member || member.removedAt || member.memberId !== holder.memberId) return undefined;
  if (holder.alternateId === undefined) return { memberId: member.memberId, member: member.name };
  if (member.alternate?.alternateId !== holder.alternateId) return undefined;
  return { memberId: member.memberId, member: member.name, alternate: member.alternate.name };
};

/** "Priya Shah", or "Tom Reid as Alternate for Priya Shah". */
export const decidedAsWords = (as: DecidedAs): string => (as.alternate ? `${as.alternate} as Alternate for ${as.member}` : as.member);

/** Who took a decision, in words: the register's attribution where there is one, else the typed name (a decision through the SSC mailbox, or before the register). */
export const takenByWords = (decision: { decidedBy?: string | undefined; decidedAs?: DecidedAs | undefined }): string =>
  decision.decidedAs ? decidedAsWords(decision.decidedAs) : (decision.decidedBy ?? '');
