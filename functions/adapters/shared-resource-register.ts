import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { CaseRecord } from '../domain/case';
import { Problem } from '../domain/problem';
import { type SharedResourceProvider, duplicateReference } from '../domain/shared-resources';
import { documentClient } from './aws-clients';
import { setting } from './config';

/**
 * The register of Shared Resource Providers, in the NotificationsTable (single-table: see table-design.ts):
 *   SHARED_RESOURCES / PROVIDER#<providerId>    a provider: its assessments and audit trail
 *   SHARED_RESOURCES / ASSESSMENT#<reference>   an assessment reference taken (unique across providers)
 *   PROVIDER#<providerId> / CASE#<reference>    a case that employs the provider, written with the case
 * Triage reads one provider by key (GetItem); SECAS lists them with one Query of their partition
 * (tens of providers); the cases employing a provider are one Query of its own partition. Items per
 * case under a known partition, rather than a new index: an index is a stateful change
 * (CloudFormation adds one per deploy) and would project every case to find a few.
 */
export const PROVIDERS_PARTITION = 'SHARED_RESOURCES';
const providerKey = (providerId: string) => ({ pk: PROVIDERS_PARTITION, sk: `PROVIDER#${providerId}` });
const referenceKey = (reference: string) => ({ pk: PROVIDERS_PARTITION, sk: `ASSESSMENT#${reference}` });
const table = () => setting('TABLE_NAME');

const strip = (item: Record<string, unknown>): SharedResourceProvider => {
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest as unknown as SharedResourceProvider;
};

export const getProvider = async (providerId: string): Promise<SharedResourceProvider | undefined> => {
  const { Item } = await documentClient().send(new GetCommand({ TableName: table(), Key: providerKey(providerId), ConsistentRead: true }));
  return Item ? strip(Item) : undefined;
};

export const listProviders = async (): Promise<SharedResourceProvider[]> => {
  const providers: SharedResourceProvider[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documentClient().send(
      new QueryCommand({
        TableName: table(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :provider)',
        ExpressionAttributeValues: { ':pk': PROVIDERS_PARTITION, ':provider': 'PROVIDER#' },
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    for (const item of page.Items ?? []) providers.push(strip(item));
    start = page.LastEvaluatedKey;
  } while (start);
  return providers;
};

const changedMeanwhile = () =>
  new Problem(409, 'conflict', 'Conflict', 'The provider was changed by another request meanwhile; nothing was changed. Read it and try again.');

/** Records a new provider, only if the register has none of that name (a 409 otherwise). */
export const createProvider = async (provider: SharedResourceProvider): Promise<void> => {
  try {
    await documentClient().send(
      new PutCommand({ TableName: table(), Item: { ...providerKey(provider.providerId), ...provider }, ConditionExpression: 'attribute_not_exists(pk)' }),
    );
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException)
      throw new Problem(409, 'conflict', 'Conflict', `The register already holds a provider named ${provider.name}.`, {
        errors: [{ pointer: '/name', detail: `The register already holds a provider of this name (${provider.providerId})` }],
      });
    throw error;
  }
};

/**
 * Writes a provider with its new assessment, in one transaction with the reference's own item: the
 * reference only if no provider has it (a 422), the provider only if nobody changed it since it was
 * read (a 409). Nothing is written unless both hold.
 */
export const saveAssessment = async (provider: SharedResourceProvider, reference: string): Promise<void> => {
  try {
    await documentClient().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: table(),
              Item: { ...referenceKey(reference), providerId: provider.providerId },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Put: {
              TableName: table(),
              Item: { ...providerKey(provider.providerId), ...provider },
              ConditionExpression: 'version = :read',
              ExpressionAttributeValues: { ':read': provider.version - 1 },
            },
          },
        ],
      }),
    );
  } catch (error) {
    if (error instanceof TransactionCanceledException) {
      if (error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') throw duplicateReference(reference);
      if (error.CancellationReasons?.[1]?.Code === 'ConditionalCheckFailed') throw changedMeanwhile();
    }
    throw error;
  }
};

/**
 * A case's entry under the provider it names, written with the case (cases-repository.ts
 * createCase). Its reference only: the case is read for its status and contact when an outcome is
 * told, and an entry must carry neither index's keys (`ownerId`, `status` with `receivedAt`), which
 * would list it as a case.
 */
export const employmentOf = (providerId: string, record: Pick<CaseRecord, 'reference'>): Record<string, unknown> => ({
  pk: `PROVIDER#${providerId}`,
  sk: `CASE#${record.reference}`,
  reference: record.reference,
});

/** The references of every case filed naming the provider, by one Query of its partition. */
export const casesEmploying = async (providerId: string): Promise<string[]> => {
  const references: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documentClient().send(
      new QueryCommand({
        TableName: table(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :case)',
        ExpressionAttributeValues: { ':pk': `PROVIDER#${providerId}`, ':case': 'CASE#' },
        ProjectionExpression: '#reference',
        ExpressionAttributeNames: { '#reference': 'reference' },
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    for (const item of page.Items ?? []) references.push(String(item.reference));
    start = page.LastEvaluatedKey;
  } while (start);
  return references;
};
