import { generateKeyPairSync } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { clientKey } from '../../functions/adapters/sec-users-register';
import { scopes } from '../../functions/domain/caller';
import { type ClientKind, type SecUserClient, addKey, registerClient } from '../../functions/domain/sec-users';

/**
 * The sandbox's demo clients: two SEC Users (to show each sees only its own cases) and SECAS. Their
 * ids are the same at every start (26 characters), so a User's filer code, and with it the
 * references of its cases, are too; their key pairs, made at start, and their tokens are new each time.
 */
export const sandboxClients = {
  user: { clientId: 'northwoldenergydemo0000001', name: 'Northwold Energy (demo SEC User)', secPartyId: 'NWEN', kind: 'User', scope: scopes.user },
  otherUser: { clientId: 'fenlandpowerdemo0000000002', name: 'Fenland Power (demo SEC User)', secPartyId: 'FENP', kind: 'User', scope: scopes.user },
  secas: { clientId: 'secasdemo00000000000000003', name: 'SECAS (demo)', secPartyId: 'SECA', kind: 'SECAS', scope: scopes.secas },
} as const satisfies Record<string, { clientId: string; name: string; secPartyId: string; kind: ClientKind; scope: string }>;
export type SandboxRole = keyof typeof sandboxClients;

export interface SandboxClientKey {
  clientId: string;
  name: string;
  scope: string;
  kid: string;
  /** PKCS #8 PEM: the demo client's private key, for those who want to sign their own assertions. */
  privateKeyPem: string;
}

/** A P-256 key pair as a User makes one (the README's openssl line): the private key as PEM, the public as JWK. */
export const generateClientKey = () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return {
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
  };
};

/** A register item for a client with one active key, as SECAS's routes (or `npm run register:secas`) write it. */
export const clientWithKey = (
  client: { clientId: string; name: string; secPartyId: string; kind: ClientKind },
  publicKeyPem: string,
  kid: string,
  officer: string,
  now: Date,
  contacts = [{ name: 'Demo contact', email: 'security@example.org' }],
): SecUserClient => {
  const registered = registerClient(client.clientId, client.kind, { secPartyId: client.secPartyId, name: client.name, contacts, officer }, 'bootstrap', now);
  return addKey(registered, { kid, publicKey: publicKeyPem, officer }, 'bootstrap', now);
};

/** Registers the demo clients in the sandbox's table, each with a new key pair: what they sign with. */
export const registerSandboxClients = async (dynamodbUrl: string, tableName: string, now = new Date()): Promise<Record<SandboxRole, SandboxClientKey>> => {
  const documents = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: dynamodbUrl, region: 'eu-west-2', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
  );
  const keys = {} as Record<SandboxRole, SandboxClientKey>;
  for (const [role, client] of Object.entries(sandboxClients) as Array<[SandboxRole, (typeof sandboxClients)[SandboxRole]]>) {
    const { privateKeyPem, publicKeyPem } = generateClientKey();
    const kid = `${role}-sandbox-1`;
    const item = clientWithKey(client, publicKeyPem, kid, 'Sandbox start', now);
    await documents.send(new PutCommand({ TableName: tableName, Item: { ...clientKey(client.clientId), ...item } }));
    keys[role] = { clientId: client.clientId, name: client.name, scope: client.scope, kid, privateKeyPem };
  }
  return keys;
};
