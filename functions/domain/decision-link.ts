import { type LinkKeyring, newLinkId, signLink, verifySignedLink } from './signed-link';
import { type SscDecisionKind, decisionFromSlug, decisionSlug } from './ssc-decision';
import { type LinkHolder, isPersonId } from './ssc-members';

/**
 * The SSC's decision links (see signed-link.ts): one per decision offered on one decision
 * request, `/decisions/{decisionId}?decision=<slug>&expires=<epoch s>&sig=<key id>.<HMAC>`, and,
 * for a link emailed to one person in the register of SSC members, `&member=<id>` (and
 * `&alternate=<id>` for an Alternate), signed with the rest.
 */
export type { LinkKeyring } from './signed-link';
export { parseKeyring } from './signed-link';

export const newDecisionId = newLinkId;

export interface DecisionLinkClaims {
  decisionId: string;
  decision: SscDecisionKind;
  /** Expiry, epoch seconds. */
  expires: number;
  /** The member (or Alternate for the member) the link was emailed to; none for a link to the SSC's mailbox. */
  holder?: LinkHolder;
}

const boundTo = (holder: LinkHolder | undefined): string | undefined =>
  holder ? `member=${holder.memberId}${holder.alternateId === undefined ? '' : `&alternate=${holder.alternateId}`}` : undefined;

export const signDecisionLink = (claims: DecisionLinkClaims, keyring: LinkKeyring): string => {
  const bound = boundTo(claims.holder);
  return signLink('ssc-decision-link', { id: claims.decisionId, action: claims.decision, expires: claims.expires, ...(bound ? { bound } : {}) }, keyring);
};

/** The query string of a link, in the order a person reads it. */
export const decisionLinkQuery = (claims: DecisionLinkClaims, keyring: LinkKeyring): string =>
  new URLSearchParams({
    decision: decisionSlug(claims.decision),
    expires: String(claims.expires),
    ...(claims.holder ? { member: claims.holder.memberId } : {}),
    ...(claims.holder?.alternateId === undefined ? {} : { alternate: claims.holder.alternateId }),
    sig: signDecisionLink(claims, keyring),
  }).toString();

export type LinkVerdict = { ok: true; claims: DecisionLinkClaims } | { ok: false; reason: 'malformed' | 'forged' | 'expired' };

/** What a link's query (or the confirmation form) carries, as untrusted strings. */
export interface LinkParameters {
  decision?: string | undefined;
  expires?: string | undefined;
  sig?: string | undefined;
  member?: string | undefined;
  alternate?: string | undefined;
}

/** The holder a link's parameters name: undefined for none; 'malformed' for ids that cannot be ids, or an Alternate without a member. */
const holderOf = (params: LinkParameters): LinkHolder | undefined | 'malformed' => {
  const { member, alternate } = params;
  if (member === undefined && alternate === undefined) return undefined;
  if (member === undefined || !isPersonId(member) || (alternate !== undefined && !isPersonId(alternate))) return 'malformed';
  return { memberId: member, ...(alternate === undefined ? {} : { alternateId: alternate }) };
};

export const verifyDecisionLink = (decisionId: string, params: LinkParameters, keyring: LinkKeyring, now: Date): LinkVerdict => {
  const holder = holderOf(params);
  if (holder === 'malformed') return { ok: false, reason: 'malformed' };
  const action = params.decision ? decisionFromSlug(params.decision) : undefined;
  const verdict = verifySignedLink('ssc-decision-link', decisionId, action, params, keyring, now, boundTo(holder));
  return verdict.ok
    ? { ok: true, claims: { decisionId, decision: verdict.claims.action, expires: verdict.claims.expires, ...(holder ? { holder } : {}) } }
    : verdict;
};
