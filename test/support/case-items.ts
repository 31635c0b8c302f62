import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';

/** An item as the tests read it straight from the table. */
export type Item = Record<string, any>;

/**
 * The sandbox's table as the workflow tests read and tamper with it directly on DynamoDB Local,
 * past the product's code: a document client, the table's name, and a case's partition, every
 * item in key order. Given the sandbox lazily, as a test file's sandbox starts in its beforeAll.
 */
export const caseItems = (sandbox: () => { dynamodbUrl: string; tableName: string }) => {
  const documents = () => DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: sandbox().dynamodbUrl }));
  const table = () => sandbox().tableName;
  const partition = async (reference: string): Promise<Item[]> =>
    (
      await documents().send(
        new QueryCommand({
          TableName: table(),
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': `CASE#${reference}` },
          ConsistentRead: true,
        }),
      )
    ).Items ?? [];
  return { documents, table, partition };
};
