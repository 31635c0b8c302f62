import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { Problem } from '../domain/problem';
import type { SecUserClient } from '../domain/sec-users';
import { documentClient } from './aws-clients';
import { setting } from './config';

/**
 * The register of SEC Users' clients, in the NotificationsTable (single-table: see table-design.ts):
 *   SEC_USERS / CLIENT#<clientId>           a client: its status, public keys and audit trail
 *   ASSERTION#<clientId>#<jti> / ASSERTION  a client assertion already used (kept until it expires: ttl)
 * One partition holds every client, so SECAS lists them with one Query; Users are tens to hundreds.
 */
export const REGISTER_PARTITION = 'SEC_USERS';
export const clientKey = (clientId: string) => ({ pk: REGISTER_PARTITION, sk: `CLIENT#${clientId}` });
const table = () => setting('TABLE_NAME');

const strip = (item: Record<string, unknown> | undefined): SecUserClient | undefined => {
  if (!item) return undefined;
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest as unknown as SecUserClient;
};

/** The client as it stands (strongly consistent: a suspension is read at once). */
export const getClient = async (clientId: string): Promise<SecUserClient | undefined> => {
  const { Item } = await documentClient().send(new GetCommand({ TableName: table(), Key: clientKey(clientId), ConsistentRead: true }));
  return strip(Item);
};

export const listClients = async (): Promise<SecUserClient[]> => {
  const clients: SecUserClient[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documentClient().send(
      new QueryCommand({
        TableName: table(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :client)',
        ExpressionAttributeValues: { ':pk': REGISTER_PARTITION, ':client': 'CLIENT#' },
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    for (const item of page.Items ?? []) clients.push(strip(item) as SecUserClient);
    start = page.LastEvaluatedKey;
  } while (start);
  return clients;
};

const conflict = () =>
  new Problem(409, 'conflict', 'Conflict', 'The client was changed by another request meanwhile; nothing was changed. Read it and try again.');

/**
 * Writes a client: a new one only if its id is free, a changed one only if nobody changed it since
 * it was read (its version), so no change is lost and nothing is half-written.
 */
export const saveClient = async (client: SecUserClient): Promise<void> => {
  try {
    await documentClient().send(
      new PutCommand({
        TableName: table(),
        Item: { ...clientKey(client.clientId), ...client },
        ...(client.version === 1
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : { ConditionExpression: 'version = :read', ExpressionAttributeValues: { ':read': client.version - 1 } }),
      }),
    );
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) throw conflict();
    throw error;
  }
};

/**
 * Records a client assertion's `jti` as used, until the assertion expires (DynamoDB's TTL then
 * removes it): false when it was used before, so an assertion works once.
 */
export const useAssertionOnce = async (clientId: string, jti: string, expiresAt: number): Promise<boolean> => {
  try {
    await documentClient().send(
      new PutCommand({
        TableName: table(),
        Item: { pk: `ASSERTION#${clientId}#${jti}`, sk: 'ASSERTION', ttl: expiresAt },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
};
