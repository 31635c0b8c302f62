import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, paginateQuery } from '@aws-sdk/lib-dynamodb';
import { employmentOf } from '../../functions/adapters/shared-resource-register';
import { notificationsTableDesign } from '../../functions/adapters/table-design';
import { CaseStatus, isFinal } from '../../functions/domain/case';
import { providerIdOf } from '../../functions/domain/shared-resources';

/**
 * `npm run backfill:provider-employments -- --table T [--endpoint URL]`: writes the entry under its
 * provider (SEC G10.8: who employs it) of every open or deferred case that names a Shared Resource
 * Provider and was filed before the register kept one (v1.1.0 and earlier), so a new outcome for
 * the provider reaches its User too. Run once after the first deploy of the register, with
 * credentials that may query the status index and put items (README, "Deploying"); running it
 * again writes nothing. Open cases are found through the status index, status by status, never a
 * Scan; a case already carrying its entry is left as it is (a conditional put).
 */

export interface BackfillReport {
  /** Open or deferred cases read. */
  read: number;
  /** Of those, naming a Shared Resource Provider. */
  naming: number;
  /** Entries written now (the others were there already). */
  written: string[];
}

const OPEN = CaseStatus.options.filter((status) => !isFinal(status));

export const backfillProviderEmployments = async (documents: DynamoDBDocumentClient, table: string): Promise<BackfillReport> => {
  const { byStatus } = notificationsTableDesign.indexes;
  const report: BackfillReport = { read: 0, naming: 0, written: [] };
  for (const status of OPEN) {
    const pages = paginateQuery(
      { client: documents },
      {
        TableName: table,
        IndexName: byStatus.indexName,
        KeyConditionExpression: '#status = :status',
        ProjectionExpression: '#reference, submission.newUserSystem.#operator',
        ExpressionAttributeNames: { '#status': byStatus.partitionKey, '#reference': 'reference', '#operator': 'operator' },
        ExpressionAttributeValues: { ':status': status },
      },
    );
    for await (const page of pages)
      for (const item of page.Items ?? []) {
        report.read += 1;
        const operator = (item.submission as { newUserSystem?: { operator?: { kind?: string; providerName?: string } } } | undefined)?.newUserSystem?.operator;
        const providerId = operator?.kind === 'SharedResourceProvider' ? providerIdOf(String(operator.providerName ?? '')) : '';
        if (!providerId) continue;
        report.naming += 1;
        const reference = String(item.reference);
        try {
          await documents.send(
            new PutCommand({ TableName: table, Item: employmentOf(providerId, { reference }), ConditionExpression: 'attribute_not_exists(pk)' }),
          );
          report.written.push(reference);
        } catch (error) {
          if (!(error instanceof ConditionalCheckFailedException)) throw error;
        }
      }
  }
  return report;
};

const argument = (name: string): string | undefined => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
};

if (process.argv[1]?.endsWith('backfill-provider-employments.ts')) {
  const table = argument('table');
  if (!table) {
    process.stderr.write('Usage: npm run backfill:provider-employments -- --table <the NotificationsTable of the stage> [--endpoint <URL>]\n');
    process.exit(2);
  }
  const endpoint = argument('endpoint');
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient({ ...(endpoint ? { endpoint } : {}), region: process.env.AWS_REGION ?? 'eu-west-2' }));
  const report = await backfillProviderEmployments(documents, table);
  process.stdout.write(
    `${report.read} open or deferred cases read, ${report.naming} naming a Shared Resource Provider: ${report.written.length} entries written${report.written.length ? ` (${report.written.join(', ')})` : ''}, ${report.naming - report.written.length} there already\n`,
  );
}
