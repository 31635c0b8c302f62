import { type KeyObject, createPublicKey, randomBytes } from 'node:crypto';
import * as z from 'zod';
import { Problem } from './problem';
import { line } from './text';

/**
 * The register of SEC Users' machine clients (and SECAS's own): who may ask the token endpoint for
 * an access token, with which public keys. SECAS's officers keep it through the API; every change
 * names the officer. Only public keys are ever held: a copy of the register reveals no credential.
 */

export const CLIENT_STATUSES = ['active', 'suspended', 'offboarded'] as const;
export type ClientStatus = (typeof CLIENT_STATUSES)[number];
export type ClientKind = 'User' | 'SECAS';

/** The algorithms a client key may sign its assertions with: ECDSA P-256, Ed25519, RSA ≥ 2048 bits. */
export const ASSERTION_ALGORITHMS = ['ES256', 'EdDSA', 'RS256'] as const;
export type AssertionAlgorithm = (typeof ASSERTION_ALGORITHMS)[number];

/** Two keys at once: the one in use and its successor, so a rotation needs no failed request. */
export const MAX_ACTIVE_KEYS = 2;
export const MIN_RSA_BITS = 2048;

export interface ClientKey {
  kid: string;
  alg: AssertionAlgorithm;
  /** The public JWK, nothing else (no `d`, `p`, `q`…). */
  jwk: Record<string, string>;
  status: 'active' | 'retired';
  addedAt: string;
  retiredAt?: string;
}

export interface AuditEntry {
  at: string;
  action: 'registered' | 'key-added' | 'key-retired' | 'suspended' | 'reinstated' | 'offboarded';
  /** The SECAS officer who made the change, as typed (like the SECAS forms' typed name). */
  officer: string;
  /** SECAS's machine client that made the call (or the bootstrap script). */
  by: string;
  kid?: string;
  reason?: string;
}

export interface SecUserClient {
  clientId: string;
  kind: ClientKind;
  secPartyId: string;
  name: string;
  contacts: Array<{ name: string; email: string }>;
  status: ClientStatus;
  keys: ClientKey[];
  audit: AuditEntry[];
  createdAt: string;
  updatedAt: string;
  /** Raised by each change: a write is conditional on the version it read, so two officers never overwrite each other. */
  version: number;
}

// ---- the requests SECAS sends --------------------------------------------------------------------

const officer = line(200).describe('The full name of the SECAS officer making this change (recorded in the audit trail)');
const KID_PATTERN = '^[A-Za-z0-9._-]{1,64}$';
const kid = z.string().regex(new RegExp(KID_PATTERN), 'must be 1 to 64 letters, digits, dots, underscores or hyphens').describe("The key's id (`kid`)");

export const RegisterClientRequest = z
  .strictObject({
    secPartyId: z
      .string()
      .regex(/^[A-Z0-9]{4}$/, 'must be the SEC Party id: 4 capital letters or digits')
      .describe("The SEC Party's id (4 characters, as MPID or Party ID)"),
    name: line(200).describe("The SEC User's name"),
    contacts: z
      .array(z.strictObject({ name: line(200), email: z.email().max(254) }))
      .min(1)
      .max(5)
      .describe("Who SECAS contacts about the User's access"),
    officer,
  })
  .describe('POST /clients');
export type RegisterClientRequest = z.infer<typeof RegisterClientRequest>;

export const AddKeyRequest = z
  .strictObject({
    kid,
    publicKey: z
      .union([z.string().max(8192), z.record(z.string(), z.unknown())])
      .describe('The public key: a PEM `PUBLIC KEY` (SPKI), or a JWK (EC P-256, OKP Ed25519, or RSA ≥ 2048 bits)'),
    officer,
  })
  .describe('POST /clients/{clientId}/keys');
export type AddKeyRequest = z.infer<typeof AddKeyRequest>;

export const OfficerRequest = z
  .strictObject({ officer, reason: line(500).optional().describe('Why (recorded in the audit trail)') })
  .describe('A change of status or key, by a named SECAS officer');
export type OfficerRequest = z.infer<typeof OfficerRequest>;

/** What SECAS reads of a client: everything but the audit trail is as stored; keys are public. */
export const ClientView = z
  .object({
    clientId: z.string(),
    kind: z.enum(['User', 'SECAS']),
    secPartyId: z.string(),
    name: z.string(),
    contacts: z.array(z.object({ name: z.string(), email: z.string() })),
    status: z.enum(CLIENT_STATUSES),
    keys: z.array(
      z.object({
        kid: z.string(),
        alg: z.enum(ASSERTION_ALGORITHMS),
        jwk: z.record(z.string(), z.string()),
        status: z.enum(['active', 'retired']),
        addedAt: z.string(),
        retiredAt: z.string().optional(),
      }),
    ),
    audit: z.array(
      z.object({
        at: z.string(),
        action: z.string(),
        officer: z.string(),
        by: z.string(),
        kid: z.string().optional(),
        reason: z.string().optional(),
      }),
    ),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .describe("A SEC User's (or SECAS's) machine client in the register");
export const ClientList = z.object({ items: z.array(ClientView) }).describe('Every client in the register');

// ---- keys ----------------------------------------------------------------------------------------

const badKey = (detail: string) => new Problem(422, 'invalid-key', 'The key cannot be registered', detail, { errors: [{ pointer: '/publicKey', detail }] });

const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

/**
 * A public key as registered: parsed by node:crypto (PEM SPKI or JWK), private and symmetric
 * material refused outright (never parsed into a key, never stored), then held to the allow-list.
 */
export const parsePublicKey = (input: string | Record<string, unknown>): { alg: AssertionAlgorithm; jwk: Record<string, string> } => {
  let key: KeyObject;
  if (typeof input === 'string') {
    if (/PRIVATE KEY/.test(input)) throw badKey('This is a private key. Send only the public key; keep the private key on your own systems.');
    if (!/^\s*-----BEGIN PUBLIC KEY-----[\s\S]+-----END PUBLIC KEY-----\s*$/.test(input))
      throw badKey('Send a PEM public key (-----BEGIN PUBLIC KEY-----, SPKI) or a JWK.');
    try {
      key = createPublicKey({ key: input, format: 'pem' });
    } catch {
      throw badKey('The PEM could not be read as a public key.');
    }
  } else {
    if (input.kty === 'oct') throw badKey('A symmetric key (kty oct) cannot be registered: send a public key.');
    if (PRIVATE_JWK_MEMBERS.some((member) => member in input)) throw badKey('This JWK holds private key material. Send only the public key.');
    try {
      key = createPublicKey({ key: input as never, format: 'jwk' });
    } catch {
      throw badKey('The JWK could not be read as a public key.');
    }
  }
  if (key.type !== 'public') throw badKey('Send a public key.');
  const details = key.asymmetricKeyDetails ?? {};
  const exported = key.export({ format: 'jwk' }) as Record<string, string>;
  switch (key.asymmetricKeyType) {
    case 'ec':
      if (details.namedCurve !== 'prime256v1') throw badKey('EC keys must be on the P-256 curve (ES256).');
      return { alg: 'ES256', jwk: { kty: 'EC', crv: 'P-256', x: exported.x as string, y: exported.y as string } };
    case 'ed25519':
      return { alg: 'EdDSA', jwk: { kty: 'OKP', crv: 'Ed25519', x: exported.x as string } };
    case 'rsa':
      if ((details.modulusLength ?? 0) < MIN_RSA_BITS) throw badKey(`RSA keys must be at least ${MIN_RSA_BITS} bits.`);
      return { alg: 'RS256', jwk: { kty: 'RSA', n: exported.n as string, e: exported.e as string } };
    default:
      throw badKey('Keys must be EC P-256 (ES256), Ed25519 (EdDSA) or RSA of at least 2048 bits (RS256).');
  }
};

// ---- the changes ---------------------------------------------------------------------------------

/** A refused change; `pointer` names the field of the request it is about, when there is one (for SECAS's forms to mark it). */
const conflict = (detail: string, pointer?: string) => new Problem(409, 'conflict', 'Conflict', detail, pointer ? { errors: [{ pointer, detail }] } : {});

const changed = (client: SecUserClient, now: Date, entry: Omit<AuditEntry, 'at'>, change: Partial<SecUserClient>): SecUserClient => ({
  ...client,
  ...change,
  audit: [...client.audit, { at: now.toISOString(), ...entry }],
  updatedAt: now.toISOString(),
  version: client.version + 1,
});

export const registerClient = (clientId: string, kind: ClientKind, request: RegisterClientRequest, by: string, now: Date): SecUserClient => ({
  clientId,
  kind,
  secPartyId: request.secPartyId,
  name: request.name,
  contacts: request.contacts,
  status: 'active',
  keys: [],
  audit: [{ at: now.toISOString(), action: 'registered', officer: request.officer, by }],
  createdAt: now.toISOString(),
  updatedAt: now.toISOString(),
  version: 1,
});

const notOffboarded = (client: SecUserClient) => {
  if (client.status === 'offboarded') throw conflict('The client is offboarded: it can never authenticate again.');
};

export const addKey = (client: SecUserClient, request: AddKeyRequest, by: string, now: Date): SecUserClient => {
  notOffboarded(client);
  const { alg, jwk } = parsePublicKey(request.publicKey as string | Record<string, unknown>);
  if (client.keys.some((k) => k.kid === request.kid)) throw conflict(`The client already has a key ${request.kid} (a kid is never reused).`, '/kid');
  if (client.keys.filter((k) => k.status === 'active').length >= MAX_ACTIVE_KEYS)
    throw conflict(`The client has ${MAX_ACTIVE_KEYS} active keys: retire one before adding another.`);
  if (client.keys.some((k) => JSON.stringify(k.jwk) === JSON.stringify(jwk)))
    throw conflict('This public key is already registered for the client.', '/publicKey');
  const key: ClientKey = { kid: request.kid, alg, jwk, status: 'active', addedAt: now.toISOString() };
  return changed(client, now, { action: 'key-added', officer: request.officer, by, kid: request.kid }, { keys: [...client.keys, key] });
};

export const retireKey = (client: SecUserClient, kid: string, request: OfficerRequest, by: string, now: Date): SecUserClient => {
  const key = client.keys.find((k) => k.kid === kid);
  if (!key) throw new Problem(404, 'not-found', 'Not found', 'The client has no such key.');
  if (key.status === 'retired') throw conflict(`The key ${kid} is already retired.`);
  const keys = client.keys.map((k) => (k.kid === kid ? { ...k, status: 'retired' as const, retiredAt: now.toISOString() } : k));
  return changed(client, now, { action: 'key-retired', officer: request.officer, by, kid, ...(request.reason ? { reason: request.reason } : {}) }, { keys });
};

export const changeStatus = (
  client: SecUserClient,
  action: 'suspended' | 'reinstated' | 'offboarded',
  request: OfficerRequest,
  by: string,
  now: Date,
): SecUserClient => {
  notOffboarded(client);
  // SECAS's client suspending or offboarding itself would leave SECAS no way back in but a deploy-time bootstrap.
  if (action !== 'reinstated' && client.clientId === by)
    throw conflict('A client cannot suspend or offboard itself: make the change from another SECAS client (npm run register:secas registers one).');
  const to: ClientStatus = action === 'reinstated' ? 'active' : action;
  if (action === 'reinstated' && client.status !== 'suspended') throw conflict('Only a suspended client can be reinstated.');
  if (action === 'suspended' && client.status !== 'active') throw conflict('Only an active client can be suspended.');
  // Offboarding retires every key too: the register then holds nothing that could ever authenticate.
  const keys =
    action === 'offboarded'
      ? client.keys.map((k) => (k.status === 'active' ? { ...k, status: 'retired' as const, retiredAt: now.toISOString() } : k))
      : client.keys;
  return changed(client, now, { action, officer: request.officer, by, ...(request.reason ? { reason: request.reason } : {}) }, { status: to, keys });
};

/** The key a client may currently authenticate with, by kid: none when the client or the key is not active. */
export const activeKey = (client: SecUserClient | undefined, kid: string): ClientKey | undefined =>
  client?.status === 'active' ? client.keys.find((k) => k.kid === kid && k.status === 'active') : undefined;

export const viewOf = ({ version: _version, ...client }: SecUserClient) => client;

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
export const CLIENT_ID_PATTERN = /^[a-z0-9]{26}$/;
export const isClientId = (value: string): boolean => CLIENT_ID_PATTERN.test(value);

/** A new client id: 26 lower-case letters and digits, as the demo clients' and Cognito's were (a filer code is made from it). */
export const newClientId = (): string => Array.from(randomBytes(26), (byte) => ID_ALPHABET[byte % ID_ALPHABET.length]).join('');
