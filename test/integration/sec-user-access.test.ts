import { type KeyObject, createHmac, generateKeyPairSync, randomUUID } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { SignJWT, exportJWK, importPKCS8 } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { dynamodbClient } from '../../functions/adapters/aws-clients';
import { AUTHORIZER_CACHE_SECONDS } from '../../infra/constructs/notifications-api';
import { CLIENT_ASSERTION_TYPE } from '../../functions/use-cases/access-tokens';
import { measureAssertionTimings } from '../../infra/tools/assertion-timing';
import { uniqueNotification } from '../support/fixtures';
import { useSandbox } from '../support/sandbox';

/**
 * A SEC User joins, rotates its keys and leaves while the sandbox runs, through SECAS's routes and
 * the token endpoint, as a User's developer and an attacker would use them: every bad assertion
 * and every bad key refused, nothing written.
 */
const ctx = useSandbox();
const officer = 'Sam Okafor';
const tokenEndpoint = () => `${ctx.sandbox.apiUrl}/oauth2/token`;

const pemPair = (type: 'ec' | 'ed25519' | 'rsa', options: Record<string, unknown> = {}) => {
  const { privateKey, publicKey } = generateKeyPairSync(type as 'ec', { namedCurve: 'prime256v1', ...options } as never) as unknown as {
    privateKey: KeyObject;
    publicKey: KeyObject;
  };
  return {
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    privateKey,
    publicKey,
  };
};

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const nowSeconds = () => Math.floor(Date.now() / 1000);

interface Signer {
  clientId: string;
  kid: string;
  privateKeyPem: string;
  alg: 'ES256' | 'EdDSA' | 'RS256';
}

/** An assertion as a client signs one, with any claim or header parameter changed. */
const assertion = async (s: Signer, claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}) =>
  new SignJWT({ iss: s.clientId, sub: s.clientId, aud: tokenEndpoint(), iat: nowSeconds(), exp: nowSeconds() + 60, jti: randomUUID(), ...claims })
    .setProtectedHeader({ alg: s.alg, kid: s.kid, ...header })
    .sign(await importPKCS8(s.privateKeyPem, s.alg));

const askForToken = async (clientAssertion: string, form: Record<string, string> = {}) =>
  fetch(tokenEndpoint(), {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_assertion_type: CLIENT_ASSERTION_TYPE, client_assertion: clientAssertion, ...form }),
  });

const accessToken = async (s: Signer) => {
  const answer = await askForToken(await assertion(s));
  expect(answer.status).toBe(200);
  return `Bearer ${((await answer.json()) as { access_token: string }).access_token}`;
};

const as = (authorization: string) => ({
  get: (path: string) => fetch(`${ctx.sandbox.apiUrl}${path}`, { headers: { Authorization: authorization } }),
  post: (path: string, body: unknown) =>
    fetch(`${ctx.sandbox.apiUrl}${path}`, {
      method: 'POST',
      headers: { Authorization: authorization, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    }),
});

const itemCount = async () =>
  (await dynamodbClient().send(new ScanCommand({ TableName: ctx.sandbox.tableName, Select: 'COUNT', ConsistentRead: true }))).Count ?? 0;

const registerUser = async (name: string) => {
  const registered = await ctx
    .api('secas')
    .post('/clients', { secPartyId: 'TEST', name, contacts: [{ name: 'Ada Byte', email: 'security@user.example' }], officer });
  expect(registered.status).toBe(201);
  return ((await registered.json()) as { clientId: string }).clientId;
};

const addKey = (clientId: string, kid: string, publicKey: unknown) => ctx.api('secas').post(`/clients/${clientId}/keys`, { kid, publicKey, officer });

describe('a User registered through SECAS while the sandbox runs', () => {
  const first = pemPair('ec');
  const second = pemPair('ed25519');
  let clientId: string;
  let key1: Signer;
  let key2: Signer;

  beforeAll(async () => {
    clientId = await registerUser('Wash Energy');
    key1 = { clientId, kid: 'wash-2026-1', privateKeyPem: first.privateKeyPem, alg: 'ES256' };
    key2 = { clientId, kid: 'wash-2026-2', privateKeyPem: second.privateKeyPem, alg: 'EdDSA' };
  });

  it('files with a key it generated, rotates to a second key without a failed request, and its retired key stops working', async () => {
    expect((await askForToken(await assertion(key1))).status).toBe(401);
    expect((await addKey(clientId, key1.kid, first.publicKeyPem)).status).toBe(201);
    const underKey1 = await accessToken(key1);
    expect((await as(underKey1).post('/notifications', uniqueNotification())).status).toBe(201);
    expect((await as(underKey1).get('/notifications')).status).toBe(200);

    // The second key, as a JWK: from now on both work.
    expect((await addKey(clientId, key2.kid, await exportJWK(second.publicKey))).status).toBe(201);
    const underKey2 = await accessToken(key2);
    for (const token of [underKey1, underKey2, await accessToken(key1)])
      expect((await as(token).post('/notifications', uniqueNotification())).status).toBe(201);

    expect((await ctx.api('secas').post(`/clients/${clientId}/keys/${key1.kid}/retire`, { officer, reason: 'Rotated' })).status).toBe(200);
    // No assertion signed with it is taken any more…
    expect((await askForToken(await assertion(key1))).status).toBe(401);
    // …the tokens issued under it are refused where the authorizer's answer was not cached…
    expect((await as(underKey1).get(`/notifications/SUS-ZZZZZ-2026-0001`)).status).toBe(403);
    // …still admitted where API Gateway cached its allow (at most 300 s)…
    expect((await as(underKey1).get('/notifications')).status).toBe(200);
    // …and refused everywhere once the cache's 300 s have passed, while the new key's carry on.
    ctx.sandbox.authorizerCache.advance(AUTHORIZER_CACHE_SECONDS + 1);
    expect((await as(underKey1).get('/notifications')).status).toBe(403);
    expect((await as(underKey2).get('/notifications')).status).toBe(200);
  });

  it('is refused within 300 s of its suspension, works again when reinstated, and never again once offboarded; SECAS still reads its cases', async () => {
    const token = await accessToken(key2);
    expect((await as(token).get('/notifications')).status).toBe(200);
    expect((await ctx.api('secas').post(`/clients/${clientId}/suspend`, { officer, reason: 'Audit finding' })).status).toBe(200);
    expect((await askForToken(await assertion(key2))).status).toBe(401);
    ctx.sandbox.authorizerCache.advance(AUTHORIZER_CACHE_SECONDS + 1);
    expect((await as(token).get('/notifications')).status).toBe(403);

    expect((await ctx.api('secas').post(`/clients/${clientId}/reinstate`, { officer })).status).toBe(200);
    ctx.sandbox.authorizerCache.advance(AUTHORIZER_CACHE_SECONDS + 1);
    expect((await as(token).get('/notifications')).status).toBe(200);

    expect((await ctx.api('secas').post(`/clients/${clientId}/offboard`, { officer, reason: 'Left the SEC' })).status).toBe(200);
    ctx.sandbox.authorizerCache.advance(AUTHORIZER_CACHE_SECONDS + 1);
    expect((await as(token).get('/notifications')).status).toBe(403);
    expect((await askForToken(await assertion(key2))).status).toBe(401);
    for (const change of [
      ['reinstate', { officer }],
      ['keys', { kid: 'wash-2027-1', publicKey: pemPair('ec').publicKeyPem, officer }],
    ] as const)
      expect((await ctx.api('secas').post(`/clients/${clientId}/${change[0]}`, change[1])).status).toBe(409);

    const cases = (await (await ctx.api('secas').get(`/notifications?owner=${clientId}&limit=100`)).json()) as { items: unknown[] };
    expect(cases.items).toHaveLength(4);
    const audit = ((await (await ctx.api('secas').get(`/clients/${clientId}`)).json()) as { audit: Array<{ action: string; officer: string; by: string }> })
      .audit;
    expect(audit.map((a) => a.action)).toEqual(['registered', 'key-added', 'key-added', 'key-retired', 'suspended', 'reinstated', 'offboarded']);
    for (const entry of audit) expect(entry).toMatchObject({ officer, by: ctx.sandbox.credentials.secas.clientId });
  });
});

describe('hostile assertions', () => {
  const ec = pemPair('ec');
  const rsa = pemPair('rsa', { modulusLength: 2048 });
  let user: Signer;

  beforeAll(async () => {
    const clientId = await registerUser('Hostile Test Energy');
    user = { clientId, kid: 'hostile-1', privateKeyPem: ec.privateKeyPem, alg: 'ES256' };
    expect((await addKey(clientId, user.kid, ec.publicKeyPem)).status).toBe(201);
    expect((await askForToken(await assertion(user))).status).toBe(200);
  });

  it('refuses each with 401 invalid_client (or 400 for a form that is not one) and writes nothing', async () => {
    const demo = ctx.sandbox.credentials.user;
    const other: Signer = { clientId: demo.clientId, kid: demo.kid, privateKeyPem: ec.privateKeyPem, alg: 'ES256' };
    const payload = (claims: Record<string, unknown> = {}) =>
      b64({ iss: user.clientId, sub: user.clientId, aud: tokenEndpoint(), iat: nowSeconds(), exp: nowSeconds() + 60, jti: randomUUID(), ...claims });
    const hs256 = (secret: string | Buffer) => {
      const input = `${b64({ alg: 'HS256', kid: user.kid })}.${payload()}`;
      return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
    };
    const replayed = await assertion(user);
    expect((await askForToken(replayed)).status).toBe(200);
    const suspended = await (async () => {
      const clientId = await registerUser('Suspended Energy');
      const signer: Signer = { clientId, kid: 'suspended-1', privateKeyPem: ec.privateKeyPem, alg: 'ES256' };
      expect((await addKey(clientId, signer.kid, pemPair('ec').publicKeyPem)).status).toBe(201);
      return signer;
    })();
    // Its own key, registered, then the User suspended: a valid signature of a client that may not authenticate.
    const suspendedKey = pemPair('ec');
    expect((await addKey(suspended.clientId, 'suspended-2', suspendedKey.publicKeyPem)).status).toBe(201);
    expect((await ctx.api('secas').post(`/clients/${suspended.clientId}/suspend`, { officer })).status).toBe(200);

    const hostile: Record<string, string> = {
      expired: await assertion(user, { iat: nowSeconds() - 600, exp: nowSeconds() - 300 }),
      'iat in the future': await assertion(user, { iat: nowSeconds() + 600, exp: nowSeconds() + 700 }),
      'exp − iat over 300 s': await assertion(user, { exp: nowSeconds() + 3600 }),
      'wrong aud': await assertion(user, { aud: 'https://elsewhere.example/oauth2/token' }),
      'aud a list with ours and another': await assertion(user, { aud: [tokenEndpoint(), 'https://elsewhere.example'] }),
      'iss and sub differ': await assertion(user, { sub: demo.clientId }),
      'no jti': await assertion(user, { jti: undefined }),
      'alg none': `${b64({ alg: 'none', kid: user.kid })}.${payload()}.`,
      'HS256 keyed with the public key (key confusion)': hs256(ec.publicKeyPem),
      'HS256 keyed with the public key DER': hs256(ec.publicKey.export({ format: 'der', type: 'spki' })),
      'RS256 claimed for the EC key': await assertion({ ...user, privateKeyPem: rsa.privateKeyPem, alg: 'RS256' }),
      'unknown kid': await assertion(user, {}, { kid: 'never-registered' }),
      'kid ../': await assertion(user, {}, { kid: '../../etc/passwd' }),
      'kid SQL-ish': await assertion(user, {}, { kid: "x' OR '1'='1" }),
      'kid 10 KB': await assertion(user, {}, { kid: 'k'.repeat(10_240) }),
      'no kid': await assertion(user, {}, { kid: undefined }),
      'jku header': await assertion(user, {}, { jku: 'https://attacker.example/jwks.json' }),
      'x5u header': await assertion(user, {}, { x5u: 'https://attacker.example/cert.pem' }),
      'jwk header': await assertion(user, {}, { jwk: await exportJWK(pemPair('ec').publicKey) }),
      'crit header': await assertion(user, {}, { crit: ['b64'], b64: true }),
      'replayed jti': replayed,
      'not 3 parts': 'aaa.bbb',
      'bad base64': '!!!.@@@.###',
      'bad JSON': `${b64('{not json')}.${payload()}.${b64('sig')}`,
      oversized: await assertion(user, { pad: 'x'.repeat(9000) }),
      "a suspended User's key": await assertion({ ...suspended, kid: 'suspended-2', privateKeyPem: suspendedKey.privateKeyPem }),
      "another User's kid, signed with the attacker's key": await assertion(other),
      "another User's client id with the attacker's own kid": await assertion({ ...user, clientId: demo.clientId }),
      'a client id that cannot be one': await assertion({ ...user, clientId: "'; DROP TABLE--" }),
    };
    const before = await itemCount();
    for (const [what, bad] of Object.entries(hostile)) {
      const answer = await askForToken(bad);
      expect(answer.status, what).toBe(401);
      expect(await answer.json(), what).toEqual({ error: 'invalid_client' });
    }
    const good = await assertion(user);
    const forms: Record<string, [Record<string, string>, number, string]> = {
      'password grant': [{ grant_type: 'password' }, 400, 'unsupported_grant_type'],
      'another assertion type': [{ client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:saml2-bearer' }, 400, 'invalid_request'],
    };
    for (const [what, [form, status, error]] of Object.entries(forms)) {
      const answer = await askForToken(good, form);
      expect(answer.status, what).toBe(status);
      expect(await answer.json(), what).toEqual({ error });
    }
    const json = await fetch(tokenEndpoint(), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials' }),
    });
    expect(json.status).toBe(400);
    expect(await itemCount()).toBe(before);
  });
});

describe('keys SECAS cannot register', () => {
  it('refuses private, symmetric, small, other-curve and unreadable keys, and keys without a kid, changing nothing', async () => {
    const clientId = await registerUser('Bad Keys Energy');
    const ec = pemPair('ec');
    const privateJwk = await exportJWK(ec.privateKey);
    const bad: Record<string, [unknown, unknown]> = {
      'private PEM': ['k1', ec.privateKeyPem],
      'private JWK': ['k2', privateJwk],
      'private JWK without the PEM markers': ['k3', { ...privateJwk, kty: 'EC' }],
      'symmetric JWK': ['k4', { kty: 'oct', k: Buffer.from('secret').toString('base64url') }],
      'RSA 1024': ['k5', pemPair('rsa', { modulusLength: 1024 }).publicKeyPem],
      'P-384': ['k6', pemPair('ec', { namedCurve: 'secp384r1' }).publicKeyPem],
      secp256k1: ['k7', pemPair('ec', { namedCurve: 'secp256k1' }).publicKeyPem],
      garbage: ['k8', '-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----'],
      'a certificate': ['k9', '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----'],
    };
    const before = await (await ctx.api('secas').get(`/clients/${clientId}`)).json();
    for (const [what, [kid, publicKey]] of Object.entries(bad)) {
      const answer = await addKey(clientId, kid as string, publicKey);
      expect(answer.status, what).toBe(422);
      expect(((await answer.json()) as { type: string }).type, what).toMatch(/\/(invalid-key|validation)$/);
    }
    const noKid = await ctx.api('secas').post(`/clients/${clientId}/keys`, { publicKey: ec.publicKeyPem, officer });
    expect(noKid.status).toBe(422);
    expect(await (await ctx.api('secas').get(`/clients/${clientId}`)).json()).toEqual(before);

    expect((await addKey(clientId, 'ok-1', ec.publicKeyPem)).status).toBe(201);
    expect((await addKey(clientId, 'ok-1', pemPair('ec').publicKeyPem)).status).toBe(409);
    expect((await addKey(clientId, 'ok-2', pemPair('rsa', { modulusLength: 2048 }).publicKeyPem)).status).toBe(201);
    expect((await addKey(clientId, 'ok-3', pemPair('ed25519').publicKeyPem)).status).toBe(409);
    const stored = JSON.stringify(await (await ctx.api('secas').get(`/clients/${clientId}`)).json());
    for (const privatePart of ['"d"', '"p"', '"q"', 'PRIVATE']) expect(stored).not.toContain(privatePart);
  });

  it('keeps the register to SECAS: a User is refused on every register route', async () => {
    const user = ctx.api('user');
    expect((await user.get('/clients')).status).toBe(403);
    expect((await user.post('/clients', { secPartyId: 'EVIL', name: 'x', contacts: [{ name: 'x', email: 'x@x.example' }], officer })).status).toBe(403);
    expect(
      (await user.post(`/clients/${ctx.sandbox.credentials.user.clientId}/keys`, { kid: 'mine', publicKey: pemPair('ec').publicKeyPem, officer })).status,
    ).toBe(403);
    expect((await ctx.api('secas').get('/clients/nosuchclient0000000000000')).status).toBe(404);
  });
});

describe('timing', () => {
  it('answers an unknown client and a bad signature alike (200 of each, measured)', async () => {
    const ec = pemPair('ec');
    const clientId = await registerUser('Timing Energy');
    expect((await addKey(clientId, 'timing-1', ec.publicKeyPem)).status).toBe(201);
    const timings = await measureAssertionTimings(ctx.sandbox.apiUrl, { clientId, kid: 'timing-1' }, 200);
    process.stdout.write(`assertion timing: ${JSON.stringify(timings)}\n`);
    expect(timings.guesses).toBe(200);
  }, 120_000);
});
