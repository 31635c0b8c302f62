import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { type SscDecisionKind, decisionFromSlug, decisionSlug } from './ssc-decision';

/**
 * Signed SSC decision links. A link names an opaque decision id (never the workflow's task
 * token, which stays server-side), the decision it offers and an expiry, and carries an
 * HMAC-SHA256 over the three. The signature names the key that made it, so keys can be
 * rotated: links signed with an older key stay valid until they expire.
 *
 * Node's crypto is used directly: an HMAC plus timingSafeEqual is the whole of it, and no
 * maintained library offers this narrow "sign a few fields, verify with rotation" shape.
 */

/** The secret's shape: `currentKeyId` names the signing key; every other property is a key. */
export interface LinkKeyring {
  currentKeyId: string;
  keys: Record<string, string>;
}

export const parseKeyring = (secretString: string): LinkKeyring => {
  const parsed: unknown = JSON.parse(secretString);
  if (typeof parsed !== 'object' || parsed === null) throw new Error('link keyring must be a JSON object');
  const { currentKeyId, ...keys } = parsed as Record<string, unknown>;
  if (typeof currentKeyId !== 'string') throw new Error('link keyring has no currentKeyId');
  const valid = Object.fromEntries(
    Object.entries(keys).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1].length >= 32),
  );
  if (!valid[currentKeyId]) throw new Error(`link keyring has no usable key '${currentKeyId}' (at least 32 characters)`);
  return { currentKeyId, keys: valid };
};

export const newDecisionId = (): string => randomBytes(18).toString('base64url');

export interface DecisionLinkClaims {
  decisionId: string;
  decision: SscDecisionKind;
  /** Expiry, epoch seconds. */
  expires: number;
}

const mac = (key: string, claims: DecisionLinkClaims): Buffer =>
  createHmac('sha256', key)
    .update(`ssc-decision-link/v1\n${claims.decisionId}\n${claims.decision}\n${claims.expires}`)
    .digest();

export const signDecisionLink = (claims: DecisionLinkClaims, keyring: LinkKeyring): string => {
  const key = keyring.keys[keyring.currentKeyId] as string;
  return `${keyring.currentKeyId}.${mac(key, claims).toString('base64url')}`;
};

/** The query string of a link, in the order a person reads it. */
export const decisionLinkQuery = (claims: DecisionLinkClaims, keyring: LinkKeyring): string =>
  new URLSearchParams({
    decision: decisionSlug(claims.decision),
    expires: String(claims.expires),
    sig: signDecisionLink(claims, keyring),
  }).toString();

export type LinkVerdict =
  | { ok: true; claims: DecisionLinkClaims }
  | { ok: false; reason: 'malformed' | 'forged' | 'expired' };

/** What a link's query (or the confirmation form) carries, as untrusted strings. */
export interface LinkParameters {
  decision?: string | undefined;
  expires?: string | undefined;
  sig?: string | undefined;
}

export const verifyDecisionLink = (
  decisionId: string,
  params: LinkParameters,
  keyring: LinkKeyring,
  now: Date,
): LinkVerdict => {
  const decision = params.decision ? decisionFromSlug(params.decision) : undefined;
  const expires = params.expires && /^\d{1,12}$/.test(params.expires) ? Number(params.expires) : undefined;
  const [keyId, signature, ...rest] = (params.sig ?? '').split('.');
  if (!/^[A-Za-z0-9_-]{16,64}$/.test(decisionId) || !decision || expires === undefined || !keyId || !signature || rest.length) {
    return { ok: false, reason: 'malformed' };
  }
  const claims = { decisionId, decision, expires };
  const key = keyring.keys[keyId];
  const given = Buffer.from(signature, 'base64url');
  const expected = key ? mac(key, claims) : undefined;
  // Constant-time comparison; the length check leaks only the (public) MAC length.
  if (!expected || given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'forged' };
  }
  if (now.getTime() >= expires * 1000) return { ok: false, reason: 'expired' };
  return { ok: true, claims };
};
