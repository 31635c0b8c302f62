import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { type LinkKeyring, parseKeyring } from '../domain/decision-link';
import { setting } from './config';

/**
 * The decision-link signing keys, from Secrets Manager, cached (five minutes by default) so
 * that a rotated keyring reaches every function soon without a fetch per request.
 */
export const linkKeyring = async (): Promise<LinkKeyring> => {
  const secret = await getSecret(setting('LINK_KEYRING_SECRET_ID'), { maxAge: setting('LINK_KEYRING_CACHE_SECONDS') });
  if (typeof secret !== 'string') throw new Error('link keyring secret is not a string');
  return parseKeyring(secret);
};
