import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { SignJWT, importPKCS8 } from 'jose';
import { CLIENT_ASSERTION_TYPE } from '../../functions/use-cases/access-tokens';

/**
 * What a User's system does to call the API: signs a client assertion (RFC 7523) with its own
 * private key, with jose, sends it to the token endpoint, and gets an access token.
 *
 *   npm run token -- --sandbox user [--url http://localhost:3000]
 *   npm run token -- --client-id <id> --key key.pem --kid <kid> --url <API base URL>
 *
 * prints `Bearer <access token>`, for an Authorization header.
 */
export interface ClientSigningKey {
  clientId: string;
  /** PKCS #8 PEM. */
  privateKeyPem: string;
  kid: string;
  /** ES256 for a P-256 key (the README's), EdDSA for Ed25519, RS256 for RSA. */
  alg?: 'ES256' | 'EdDSA' | 'RS256';
}

/** A fresh client assertion: valid for 60 s, used once. */
export const signClientAssertion = async ({ clientId, privateKeyPem, kid, alg = 'ES256' }: ClientSigningKey, tokenEndpoint: string): Promise<string> =>
  new SignJWT({})
    .setProtectedHeader({ alg, kid, typ: 'JWT' })
    .setIssuer(clientId)
    .setSubject(clientId)
    .setAudience(tokenEndpoint)
    .setIssuedAt()
    .setExpirationTime('60s')
    .setJti(randomUUID())
    .sign(await importPKCS8(privateKeyPem, alg));

/** POSTs the assertion to `<apiUrl>/oauth2/token`: the access token, or an error naming the endpoint's answer. */
export const requestAccessToken = async (key: ClientSigningKey, apiUrl: string): Promise<{ accessToken: string; expiresIn: number }> => {
  const tokenEndpoint = `${apiUrl.replace(/\/$/, '')}/oauth2/token`;
  const response = await fetch(tokenEndpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: CLIENT_ASSERTION_TYPE,
      client_assertion: await signClientAssertion(key, tokenEndpoint),
    }),
  });
  const body = (await response.json()) as { access_token?: string; expires_in?: number; error?: string };
  if (response.status !== 200 || !body.access_token) throw new Error(`the token endpoint answered ${response.status} ${JSON.stringify(body)}`);
  return { accessToken: body.access_token, expiresIn: body.expires_in ?? 0 };
};

const main = async () => {
  const { values } = parseArgs({
    options: {
      sandbox: { type: 'string' },
      url: { type: 'string', default: 'http://localhost:3000' },
      'client-id': { type: 'string' },
      key: { type: 'string' },
      kid: { type: 'string' },
      alg: { type: 'string', default: 'ES256' },
    },
  });
  let key: ClientSigningKey;
  if (values.sandbox) {
    const credentials = JSON.parse(readFileSync('.sandbox/credentials.json', 'utf8')) as Record<string, ClientSigningKey>;
    const demo = credentials[values.sandbox];
    if (!demo) throw new Error(`no demo client ${values.sandbox} in .sandbox/credentials.json (${Object.keys(credentials).join(', ')})`);
    key = demo;
  } else {
    if (!values['client-id'] || !values.key || !values.kid) throw new Error('give --sandbox <role>, or --client-id, --key <private key PEM file> and --kid');
    key = { clientId: values['client-id'], privateKeyPem: readFileSync(values.key, 'utf8'), kid: values.kid, alg: values.alg as ClientSigningKey['alg'] };
  }
  const { accessToken } = await requestAccessToken(key, values.url);
  process.stdout.write(`Bearer ${accessToken}\n`);
};

if (process.argv[1]?.endsWith('token.ts'))
  main().catch((error: Error) => {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  });
