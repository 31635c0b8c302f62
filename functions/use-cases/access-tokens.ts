import { randomUUID } from 'node:crypto';
import { type JWK, type JWTPayload, decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, importJWK, jwtVerify } from 'jose';
import { accessTokenPublicKey, signWithAccessTokenKey } from '../adapters/access-token-key';
import { setting } from '../adapters/config';
import { getClient, useAssertionOnce } from '../adapters/sec-users-register';
import { routeScopes, routes } from '../catalogue';
import { type Caller, scopes } from '../domain/caller';
import { ASSERTION_ALGORITHMS, type AssertionAlgorithm, CLIENT_ID_PATTERN, type ClientKind, activeKey } from '../domain/sec-users';

/**
 * OAuth 2.0 client credentials with private_key_jwt (RFC 7523, RFC 7521 §4.2): a client proves
 * who it is with a short-lived JWT signed by its own private key, checked against the public keys
 * SECAS registered for it, and gets an access token the API signed with its KMS key. The
 * authorizer then checks that token, the client's standing and the route's scopes on each request.
 * jose does the JOSE work (parsing, signature, claims); this file says what is allowed.
 */

export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** Larger than any honest assertion (a few hundred bytes; an RS256 one under 1 KB). */
export const MAX_ASSERTION_BYTES = 8 * 1024;
/** An assertion lives at most this long (exp − iat). */
export const MAX_ASSERTION_SECONDS = 300;
/** Clocks differ: an iat or exp this far off still passes. */
export const CLOCK_SKEW_SECONDS = 60;
/** Header parameters that would let the token say where its own key is, or demand extensions: refused. */
const REFUSED_HEADERS = ['jku', 'x5u', 'jwk', 'x5c', 'crit'];
const JTI_PATTERN = /^[A-Za-z0-9._:-]{8,128}$/;

export type TokenAnswer = { status: 200; body: { access_token: string; token_type: 'Bearer'; expires_in: number; scope: string } } | TokenError;
export type TokenError = { status: 400 | 401; body: { error: 'invalid_request' | 'invalid_client' | 'unsupported_grant_type' } };

const invalidClient: TokenError = { status: 401, body: { error: 'invalid_client' } };
const invalidRequest: TokenError = { status: 400, body: { error: 'invalid_request' } };

export const scopeOf = (kind: ClientKind): string => (kind === 'SECAS' ? scopes.secas : scopes.user);
export const issuer = (): string => setting('TOKEN_ENDPOINT').replace(/\/oauth2\/token$/, '');

/**
 * Keys nobody holds, one per algorithm, made once per cold start: an assertion naming an unknown
 * client or kid is verified against one of them, so it costs what a known client's does and fails
 * the same way (its time tells a guesser nothing).
 */
let decoys: Promise<Record<AssertionAlgorithm, JWK>> | undefined;
const decoyKeys = () => {
  decoys ??= Promise.all(
    ASSERTION_ALGORITHMS.map(
      async (alg) => [alg, await exportJWK((await generateKeyPair(alg, { modulusLength: 2048, extractable: true })).publicKey)] as const,
    ),
  ).then((pairs) => Object.fromEntries(pairs) as Record<AssertionAlgorithm, JWK>);
  return decoys;
};

const base64urlJson = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

const signAccessToken = async (claims: JWTPayload): Promise<string> => {
  const input = `${base64urlJson({ alg: 'ES256', typ: 'at+jwt' })}.${base64urlJson(claims)}`;
  return `${input}.${await signWithAccessTokenKey(input)}`;
};

/** POST /oauth2/token: the form as sent, at `now`. */
export const issueAccessToken = async (form: URLSearchParams, now: Date): Promise<TokenAnswer> => {
  for (const name of ['grant_type', 'client_assertion_type', 'client_assertion']) if (form.getAll(name).length > 1) return invalidRequest;
  if (form.get('grant_type') !== 'client_credentials')
    return form.has('grant_type') ? { status: 400, body: { error: 'unsupported_grant_type' } } : invalidRequest;
  if (form.get('client_assertion_type') !== CLIENT_ASSERTION_TYPE) return invalidRequest;
  const assertion = form.get('client_assertion') ?? '';
  if (!assertion || Buffer.byteLength(assertion) > MAX_ASSERTION_BYTES || assertion.split('.').length !== 3) return invalidClient;

  let header: ReturnType<typeof decodeProtectedHeader>;
  let claimed: JWTPayload;
  try {
    header = decodeProtectedHeader(assertion);
    claimed = decodeJwt(assertion);
  } catch {
    return invalidClient;
  }
  const alg = header.alg as AssertionAlgorithm;
  if (!ASSERTION_ALGORITHMS.includes(alg) || REFUSED_HEADERS.some((name) => name in header)) return invalidClient;
  if (typeof header.kid !== 'string' || !/^[A-Za-z0-9._-]{1,64}$/.test(header.kid)) return invalidClient;
  const clientId = typeof claimed.iss === 'string' && CLIENT_ID_PATTERN.test(claimed.iss) ? claimed.iss : undefined;

  // The same work whatever is wrong: the register read (unless the id cannot be one), then a signature check.
  const client = clientId ? await getClient(clientId) : undefined;
  const registered = client?.keys.find((k) => k.kid === header.kid);
  const key = await importJWK({ ...(registered && registered.alg === alg ? registered.jwk : (await decoyKeys())[alg]), alg }, alg);
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(assertion, key, {
      algorithms: [alg],
      issuer: clientId ?? '',
      subject: clientId ?? '',
      audience: setting('TOKEN_ENDPOINT'),
      requiredClaims: ['iss', 'sub', 'aud', 'exp', 'iat', 'jti'],
      currentDate: now,
      clockTolerance: CLOCK_SKEW_SECONDS,
      maxTokenAge: MAX_ASSERTION_SECONDS + CLOCK_SKEW_SECONDS,
    }));
  } catch {
    return invalidClient;
  }
  const { iat, exp, jti, aud } = payload as { iat: number; exp: number; jti: unknown; aud: unknown };
  const nowSeconds = Math.floor(now.getTime() / 1000);
  // Exactly this endpoint: an assertion addressed to several audiences could be replayed at each of them.
  if (aud !== setting('TOKEN_ENDPOINT')) return invalidClient;
  if (exp - iat > MAX_ASSERTION_SECONDS || iat > nowSeconds + CLOCK_SKEW_SECONDS) return invalidClient;
  if (typeof jti !== 'string' || !JTI_PATTERN.test(jti)) return invalidClient;
  // A suspended or offboarded client, or a retired key, signs nothing in: the same answer as a bad signature.
  if (!client || !clientId || !activeKey(client, header.kid)) return invalidClient;
  if (!(await useAssertionOnce(clientId, jti, exp))) return invalidClient;

  const lifetime = setting('ACCESS_TOKEN_SECONDS');
  const scope = scopeOf(client.kind);
  const accessToken = await signAccessToken({
    iss: issuer(),
    sub: clientId,
    client_id: clientId,
    scope,
    cnf_kid: header.kid,
    jti: randomUUID(),
    iat: nowSeconds,
    exp: nowSeconds + lifetime,
  });
  return { status: 200, body: { access_token: accessToken, token_type: 'Bearer', expires_in: lifetime, scope } };
};

/** What the authorizer tells the route's function: who is calling. */
export type AuthorizerContext = { clientId: string; kind: Caller['kind'] };

const scopesByRouteKey = new Map(routes.map((route) => [`${route.method} ${route.path}`, routeScopes(route)]));

/**
 * Whether a request may go on to its route: the access token signed by our KMS key, ours, in date;
 * its client still active and the key it authenticated with not retired; one of the route's scopes.
 */
export const authorizeRequest = async (authorization: string | undefined, routeKey: string, now: Date): Promise<AuthorizerContext | undefined> => {
  const token = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/.exec(authorization ?? '')?.[1];
  const wanted = scopesByRouteKey.get(routeKey);
  if (!token || !wanted?.length || token.length > MAX_ASSERTION_BYTES) return undefined;
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, await accessTokenPublicKey(), {
      algorithms: ['ES256'],
      typ: 'at+jwt',
      issuer: issuer(),
      requiredClaims: ['sub', 'exp', 'iat', 'scope'],
      currentDate: now,
    }));
  } catch {
    return undefined;
  }
  const { sub, scope, cnf_kid: kid } = payload as { sub: string; scope: unknown; cnf_kid: unknown };
  if (typeof scope !== 'string' || typeof kid !== 'string' || !wanted.includes(scope)) return undefined;
  const client = await getClient(sub);
  if (!client || !activeKey(client, kid) || scopeOf(client.kind) !== scope) return undefined;
  return { clientId: client.clientId, kind: client.kind };
};
