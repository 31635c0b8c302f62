import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Signed links: the credential of a person who has no login (the SSC deciding, SECAS recording an
 * assessment). A link names an opaque id (never a workflow task token, which stays server-side),
 * the action it offers and an expiry, and carries an HMAC-SHA256 over the three, separated by the
 * link's purpose so that a link of one kind is never valid as another. The signature names the
 * key that made it, so keys can be rotated: links signed with an older key stay valid until they
 * expire.
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
  const valid = Object.fromEntries(Object.entries(keys).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1].length >= 32));
  if (!valid[currentKeyId]) throw new Error(`link keyring has no usable key '${currentKeyId}' (at least 32 characters)`);
  return { currentKeyId, keys: valid };
};

/** 144 random bits, URL-safe. */
export const newLinkId = (): string => randomBytes(18).toString('base64url');

export type LinkPurpose = 'ssc-decision-link' | 'secas-assessment-link';

export interface LinkClaims<A extends string> {
  id: string;
  action: A;
  /** Expiry, epoch seconds. */
  expires: number;
  /** The person the link is bound to, when it is one person's (signed too, so a link cannot be passed off as another's). */
  bound?: string;
}

// A bound link is signed as v2, over its holder as well; an unbound one as v1, as links always were.
const mac = (key: string, purpose: LinkPurpose, claims: LinkClaims<string>): Buffer =>
  createHmac('sha256', key)
    .update(
      claims.bound === undefined
        ? `${purpose}/v1\n${claims.id}\n${claims.action}\n${claims.expires}`
        : `${purpose}/v2\n${claims.id}\n${claims.action}\n${claims.expires}\n${claims.bound}`,
    )
    .digest();

export const signLink = (purpose: LinkPurpose, claims: LinkClaims<string>, keyring: LinkKeyring): string => {
  const key = keyring.keys[keyring.currentKeyId] as string;
  return `${keyring.currentKeyId}.${mac(key, purpose, claims).toString('base64url')}`;
};

export type LinkVerdict<A extends string> = { ok: true; claims: LinkClaims<A> } | { ok: false; reason: 'malformed' | 'forged' | 'expired' };

/** What a link's query (or its form) carries, as untrusted strings, the action already read from its slug. */
export const verifySignedLink = <A extends string>(
  purpose: LinkPurpose,
  id: string,
  action: A | undefined,
  params: { expires?: string | undefined; sig?: string | undefined },
  keyring: LinkKeyring,
  now: Date,
  bound?: string,
): LinkVerdict<A> => {
  const expires = params.expires && /^\d{1,12}$/.test(params.expires) ? Number(params.expires) : undefined;
  const [keyId, signature, ...rest] = (params.sig ?? '').split('.');
  if (!/^[A-Za-z0-9_-]{16,64}$/.test(id) || !action || expires === undefined || !keyId || !signature || rest.length) {
    return { ok: false, reason: 'malformed' };
  }
  const claims = { id, action, expires, ...(bound === undefined ? {} : { bound }) };
  const key = keyring.keys[keyId];
  const given = Buffer.from(signature, 'base64url');
  const expected = key ? mac(key, purpose, claims) : undefined;
  // Constant-time comparison; the length check leaks only the (public) MAC length. Node decodes
  // base64url leniently (stray characters, the last character's spare bits), so only the one
  // canonical spelling of a signature is taken: a link has exactly one valid form.
  const canonical = given.toString('base64url') === signature;
  if (!expected || !canonical || given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'forged' };
  if (now.getTime() >= expires * 1000) return { ok: false, reason: 'expired' };
  return { ok: true, claims };
};

/** A day, in seconds: how long a link outlives the wait it belongs to. */
const LINK_GRACE_SECONDS = 86_400;

/**
 * When the links of a wait expire, in epoch seconds: a day after its hard limit, so they never
 * expire while the case waits (however far off the SSC's meeting), and never before a day after
 * they are issued. Checked in real time, which an accelerated sandbox only outruns.
 */
export const linkExpiry = (hardLimitAt: string, issuedAt: Date): number =>
  Math.floor(Math.max(issuedAt.getTime(), Date.parse(hardLimitAt)) / 1000) + LINK_GRACE_SECONDS;
