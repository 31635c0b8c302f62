import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { type JWTPayload, SignJWT, createLocalJWKSet, exportJWK, generateKeyPair, jwtVerify } from 'jose';
import { scopes } from '../../functions/domain/caller';

/**
 * The sandbox's stand-in for the Cognito user pool: machine clients with secrets, an OAuth 2.0
 * client-credentials token endpoint, and RS256 access tokens shaped like Cognito's (`client_id`,
 * `scope`, `token_use: access`), signed with a key pair made at start-up. `authorize` checks a
 * token as API Gateway's JWT authorizer does, with jose (a maintained JOSE library).
 */
export interface LocalClient {
  clientId: string;
  clientSecret: string;
  name: string;
  scope: string;
}

export type AuthorizerResult = { ok: true; claims: JWTPayload & Record<string, unknown>; scopes: string[] } | { ok: false; status: 401 | 403 };

const ISSUER = 'urn:sec-second-user-system:sandbox-user-pool';

export const createTokenIssuer = async (clientNames: Record<string, { clientId: string; name: string; scope: string }>) => {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const kid = randomBytes(8).toString('hex');
  const jwks = createLocalJWKSet({ keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' }] });
  const clients: Record<string, LocalClient> = Object.fromEntries(
    Object.entries(clientNames).map(([role, { clientId, name, scope }]) => [
      role,
      { clientId, clientSecret: randomBytes(32).toString('base64url'), name, scope },
    ]),
  );
  const byId = new Map(Object.values(clients).map((c) => [c.clientId, c]));

  const issue = (client: LocalClient, options: { validitySeconds?: number; scope?: string } = {}) =>
    new SignJWT({ client_id: client.clientId, scope: options.scope ?? client.scope, token_use: 'access', jti: randomUUID(), version: 2 })
      .setProtectedHeader({ alg: 'RS256', kid })
      .setIssuer(ISSUER)
      .setSubject(client.clientId)
      .setIssuedAt()
      .setExpirationTime(`${options.validitySeconds ?? 3600}s`)
      .sign(privateKey);

  /** As API Gateway's JWT authorizer: signature, issuer, expiry, audience (client_id), then the route's scopes. */
  const authorize = async (authorization: string | undefined, routeScopes: string[]): Promise<AuthorizerResult> => {
    const token = /^Bearer (\S+)$/i.exec(authorization ?? '')?.[1];
    if (!token) return { ok: false, status: 401 };
    try {
      const { payload } = await jwtVerify(token, jwks, { issuer: ISSUER, algorithms: ['RS256'] });
      const audience = typeof payload.aud === 'string' ? [payload.aud] : (payload.aud ?? []);
      const clientIds = audience.length ? audience : [payload.client_id];
      if (!clientIds.some((id) => typeof id === 'string' && byId.has(id))) return { ok: false, status: 401 };
      const granted = typeof payload.scope === 'string' ? payload.scope.split(' ') : [];
      if (routeScopes.length && !routeScopes.some((s) => granted.includes(s))) return { ok: false, status: 403 };
      return { ok: true, claims: payload as JWTPayload & Record<string, unknown>, scopes: granted };
    } catch {
      return { ok: false, status: 401 };
    }
  };

  /** The token endpoint's client authentication (HTTP Basic, as Cognito's). */
  const authenticateClient = (authorization: string | undefined): LocalClient | undefined => {
    const basic = /^Basic (\S+)$/i.exec(authorization ?? '')?.[1];
    if (!basic) return undefined;
    const [id = '', secret = ''] = Buffer.from(basic, 'base64').toString('utf8').split(':');
    // RFC 6749 §2.3.1 form-encodes both; a malformed encoding is simply a client we do not know.
    const decode = (value: string) => {
      try {
        return decodeURIComponent(value);
      } catch {
        return undefined;
      }
    };
    const client = byId.get(decode(id) ?? '');
    if (!client) return undefined;
    const given = Buffer.from(decode(secret) ?? '');
    const expected = Buffer.from(client.clientSecret);
    return given.length === expected.length && timingSafeEqual(given, expected) ? client : undefined;
  };

  return { issuer: ISSUER, clients, issue, authorize, authenticateClient };
};
export type TokenIssuer = Awaited<ReturnType<typeof createTokenIssuer>>;

/**
 * The sandbox's demo clients: two SEC Users (to show each sees only its own cases) and SECAS. Their
 * ids are the same at every start (26 characters, as Cognito's app client ids), so a User's filer
 * code, and with it the references of its cases, are too; their secrets and tokens are new each time.
 */
export const sandboxClients = {
  user: { clientId: 'northwoldenergydemo0000001', name: 'Northwold Energy (demo SEC User)', scope: scopes.user },
  otherUser: { clientId: 'fenlandpowerdemo0000000002', name: 'Fenland Power (demo SEC User)', scope: scopes.user },
  secas: { clientId: 'secasdemo00000000000000003', name: 'SECAS (demo)', scope: scopes.secas },
};
