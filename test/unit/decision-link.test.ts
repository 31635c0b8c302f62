import { describe, expect, it } from 'vitest';
import { type LinkKeyring, decisionLinkQuery, newDecisionId, parseKeyring, signDecisionLink, verifyDecisionLink } from '../../functions/domain/decision-link';

const keyring: LinkKeyring = { currentKeyId: 'k1', keys: { k1: 'a'.repeat(43) } };
const now = new Date('2026-11-24T12:00:00Z');
const expires = Math.floor(now.getTime() / 1000) + 3600;
const decisionId = newDecisionId();
const claims = { decisionId, decision: 'DeferToAnnualReview' as const, expires };
const params = () => Object.fromEntries(new URLSearchParams(decisionLinkQuery(claims, keyring)));

describe('decision links', () => {
  it('verifies a link it signed', () => {
    expect(verifyDecisionLink(decisionId, params(), keyring, now)).toEqual({ ok: true, claims });
  });

  it('issues unguessable ids (144 random bits, URL-safe)', () => {
    const ids = new Set(Array.from({ length: 1000 }, newDecisionId));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{24}$/);
  });

  it.each([
    ['another decision', { decision: 'ad-hoc-assessment' }],
    ['a later expiry', { expires: String(expires + 86_400) }],
    ['a flipped signature byte', { sig: (s: string) => s.slice(0, -2) + (s.at(-2) === 'A' ? 'B' : 'A') + s.slice(-1) }],
    // SHA-256 in base64url leaves the last character two spare bits: a second spelling of the same bytes.
    [
      'the spare bits of its last character set',
      {
        sig: (s: string) =>
          s.slice(0, -1) +
          'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.charAt(
            'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.indexOf(s.at(-1) as string) ^ 1,
          ),
      },
    ],
    ['a character Node would skip', { sig: (s: string) => `${s}=` }],
    ['an unknown key id', { sig: (s: string) => s.replace(/^k1\./, 'k9.') }],
  ])('refuses a link altered to %s as forged', (_, change) => {
    const p: Record<string, string> = params();
    for (const [k, v] of Object.entries(change)) p[k] = typeof v === 'function' ? v(p[k] as string) : v;
    expect(verifyDecisionLink(decisionId, p, keyring, now)).toEqual({ ok: false, reason: 'forged' });
  });

  it('refuses a valid signature on another decision id as forged', () => {
    expect(verifyDecisionLink(newDecisionId(), params(), keyring, now)).toEqual({ ok: false, reason: 'forged' });
  });

  it('refuses a link signed with another secret', () => {
    const other: LinkKeyring = { currentKeyId: 'k1', keys: { k1: 'b'.repeat(43) } };
    expect(verifyDecisionLink(decisionId, params(), other, now)).toEqual({ ok: false, reason: 'forged' });
  });

  it('refuses an expired link, at the second of expiry', () => {
    expect(verifyDecisionLink(decisionId, params(), keyring, new Date(expires * 1000))).toEqual({ ok: false, reason: 'expired' });
    expect(verifyDecisionLink(decisionId, params(), keyring, new Date(expires * 1000 - 1)).ok).toBe(true);
  });

  it.each([
    ['no signature', { sig: '' }],
    ['a non-numeric expiry', { expires: '12e9' }],
    ['an unknown decision', { decision: 'approve' }],
    ['a signature with extra parts', { sig: 'k1.abc.def' }],
  ])('refuses a link with %s as malformed', (_, change) => {
    expect(verifyDecisionLink(decisionId, { ...params(), ...change }, keyring, now)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('keeps links signed with the previous key valid after rotation', () => {
    const rotated: LinkKeyring = { currentKeyId: 'k2', keys: { k1: keyring.keys.k1 as string, k2: 'c'.repeat(43) } };
    expect(verifyDecisionLink(decisionId, params(), rotated, now).ok).toBe(true);
    expect(signDecisionLink(claims, rotated)).toMatch(/^k2\./);
  });

  it('reads a keyring secret and rejects a weak one', () => {
    expect(parseKeyring(JSON.stringify({ currentKeyId: 'k1', k1: 'x'.repeat(32), old: 'y'.repeat(40) }))).toEqual({
      currentKeyId: 'k1',
      keys: { k1: 'x'.repeat(32), old: 'y'.repeat(40) },
    });
    expect(() => parseKeyring(JSON.stringify({ currentKeyId: 'k1', k1: 'short' }))).toThrow(/no usable key/);
    expect(() => parseKeyring('{}')).toThrow(/currentKeyId/);
  });
});
