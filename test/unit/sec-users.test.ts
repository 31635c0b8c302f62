import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { derToJose } from '../../functions/adapters/access-token-key';
import type { Problem } from '../../functions/domain/problem';
import { activeKey, addKey, changeStatus, registerClient, retireKey } from '../../functions/domain/sec-users';

const now = new Date('2026-12-07T10:00:00Z');
const later = new Date('2026-12-08T10:00:00Z');
const officer = 'Sam Okafor';
const pem = () => generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ format: 'pem', type: 'spki' }).toString();
const registered = () =>
  registerClient(
    'abcdefghijklmnopqrstuvwxyz',
    'User',
    { secPartyId: 'TEST', name: 'Test Energy', contacts: [{ name: 'A', email: 'a@t.example' }], officer },
    'secas',
    now,
  );
const statusOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return (error as Problem).status;
  }
  return 'allowed';
};

describe('the register of SEC Users', () => {
  it('refuses a client suspending or offboarding itself, which would lock SECAS out', () => {
    const self = registered();
    expect(statusOf(() => changeStatus(self, 'suspended', { officer }, self.clientId, now))).toBe(409);
    expect(statusOf(() => changeStatus(self, 'offboarded', { officer }, self.clientId, now))).toBe(409);
    expect(changeStatus(self, 'suspended', { officer }, 'another-secas-client', now).status).toBe('suspended');
  });

  it('rotates keys: two active at most, a kid never reused, a retired key no longer authenticates', () => {
    let client = addKey(registered(), { kid: 'k1', publicKey: pem(), officer }, 'secas', now);
    client = addKey(client, { kid: 'k2', publicKey: pem(), officer }, 'secas', now);
    expect(statusOf(() => addKey(client, { kid: 'k3', publicKey: pem(), officer }, 'secas', now))).toBe(409);
    client = retireKey(client, 'k1', { officer }, 'secas', later);
    expect(activeKey(client, 'k1')).toBeUndefined();
    expect(activeKey(client, 'k2')?.alg).toBe('ES256');
    expect(statusOf(() => addKey(client, { kid: 'k1', publicKey: pem(), officer }, 'secas', later))).toBe(409);
    expect(client.keys.find((k) => k.kid === 'k1')).toMatchObject({ status: 'retired', retiredAt: later.toISOString() });
    expect(client.version).toBe(4);
    expect(client.audit.map((a) => a.action)).toEqual(['registered', 'key-added', 'key-added', 'key-retired']);
  });

  it("names the field a conflict is about, for SECAS's forms to mark it: a kid used before, a key already registered", () => {
    const key = pem();
    const client = addKey(registered(), { kid: 'k1', publicKey: key, officer }, 'secas', now);
    const pointersOf = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        return { status: (error as Problem).status, pointers: (error as Problem).errors?.map((e) => e.pointer) };
      }
      return undefined;
    };
    expect(pointersOf(() => addKey(client, { kid: 'k1', publicKey: pem(), officer }, 'secas', now))).toEqual({ status: 409, pointers: ['/kid'] });
    expect(pointersOf(() => addKey(client, { kid: 'k2', publicKey: key, officer }, 'secas', now))).toEqual({ status: 409, pointers: ['/publicKey'] });
  });

  it('suspends, reinstates and offboards: an offboarded client has no active key and takes no change', () => {
    let client = addKey(registered(), { kid: 'k1', publicKey: pem(), officer }, 'secas', now);
    client = changeStatus(client, 'suspended', { officer }, 'secas', now);
    expect(activeKey(client, 'k1')).toBeUndefined();
    expect(statusOf(() => changeStatus(client, 'suspended', { officer }, 'secas', now))).toBe(409);
    client = changeStatus(client, 'reinstated', { officer }, 'secas', now);
    expect(activeKey(client, 'k1')).toBeDefined();
    client = changeStatus(client, 'offboarded', { officer, reason: 'Left' }, 'secas', later);
    expect(client.keys.every((k) => k.status === 'retired')).toBe(true);
    for (const change of [
      () => changeStatus(client, 'reinstated', { officer }, 'secas', later),
      () => addKey(client, { kid: 'k9', publicKey: pem(), officer }, 'secas', later),
    ])
      expect(statusOf(change)).toBe(409);
  });

  it('stores only the public JWK of each allowed kind, whatever form it came in', () => {
    const ed = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' });
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'pem', type: 'spki' }).toString();
    let client = addKey(registered(), { kid: 'ed', publicKey: ed as Record<string, unknown>, officer }, 'secas', now);
    client = addKey(client, { kid: 'rsa', publicKey: rsa, officer }, 'secas', now);
    expect(client.keys.map((k) => [k.alg, Object.keys(k.jwk).sort()])).toEqual([
      ['EdDSA', ['crv', 'kty', 'x']],
      ['RS256', ['e', 'kty', 'n']],
    ]);
  });
});

describe("KMS's DER signature as JOSE's r||s", () => {
  it('gives 64 bytes that verify, whether r and s need a leading zero or are short', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const lengths = new Set<number>();
    for (let i = 0; i < 300; i++) {
      const message = Buffer.from(`message ${i}`);
      const der = sign('sha256', message, { key: privateKey, dsaEncoding: 'der' });
      lengths.add(der.length);
      const raw = derToJose(der);
      expect(raw).toHaveLength(64);
      expect(verify('sha256', message, { key: publicKey, dsaEncoding: 'ieee-p1363' }, raw)).toBe(true);
    }
    // 70 to 72 bytes: r and s each with or without a leading zero; shorter when one is small.
    expect(lengths.size).toBeGreaterThan(1);
  });
});
