import { type LinkKeyring, newLinkId, signLink, verifySignedLink } from './signed-link';
import { type SscDecisionKind, decisionFromSlug, decisionSlug } from './ssc-decision';

/**
 * The SSC's decision links (see signed-link.ts): one per decision offered on one decision
 * request, `/decisions/{decisionId}?decision=<slug>&expires=<epoch s>&sig=<key id>.<HMAC>`.
 */
export type { LinkKeyring } from './signed-link';
export { parseKeyring } from './signed-link';

export const newDecisionId = newLinkId;

export interface DecisionLinkClaims {
  decisionId: string;
  decision: SscDecisionKind;
  /** Expiry, epoch seconds. */
  expires: number;
}

export const signDecisionLink = (claims: DecisionLinkClaims, keyring: LinkKeyring): string =>
  signLink('ssc-decision-link', { id: claims.decisionId, action: claims.decision, expires: claims.expires }, keyring);

/** The query string of a link, in the order a person reads it. */
export const decisionLinkQuery = (claims: DecisionLinkClaims, keyring: LinkKeyring): string =>
  new URLSearchParams({
    decision: decisionSlug(claims.decision),
    expires: String(claims.expires),
    sig: signDecisionLink(claims, keyring),
  }).toString();

export type LinkVerdict = { ok: true; claims: DecisionLinkClaims } | { ok: false; reason: 'malformed' | 'forged' | 'expired' };

/** What a link's query (or the confirmation form) carries, as untrusted strings. */
export interface LinkParameters {
  decision?: string | undefined;
  expires?: string | undefined;
  sig?: string | undefined;
}

export const verifyDecisionLink = (decisionId: string, params: LinkParameters, keyring: LinkKeyring, now: Date): LinkVerdict => {
  const verdict = verifySignedLink('ssc-decision-link', decisionId, params.decision ? decisionFromSlug(params.decision) : undefined, params, keyring, now);
  return verdict.ok ? { ok: true, claims: { decisionId, decision: verdict.claims.action, expires: verdict.claims.expires } } : verdict;
};
