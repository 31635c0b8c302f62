import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { disposalIn } from '../../functions/adapters/case-disposal';
import { chainEvidenceOf } from '../../functions/adapters/cases-repository';
import type { CaseDisposal } from '../../functions/domain/disposal';
import { type ChainReport, verifyChain } from '../../functions/domain/history-chain';
import { dateInWords } from '../../functions/domain/wording';
import { londonDate } from '../../functions/domain/working-days';

/**
 * `npm run verify:history [-- --reference R] [--table T] [--endpoint URL]`: verifies the
 * tamper-evident history of one case, or of every case in a table (the sandbox's by default:
 * DynamoDB Local on port 8000, table NotificationsTable), and prints a line each, ok or the first
 * broken event. Every case by a scan of the whole table, not through an index: a verifier must
 * find a case whose indexed attributes were tampered with too. Exits 1 when any chain is broken.
 * A case disposed of at the end of its retention (case-disposal.ts) is reported as such, with the
 * head it was verified at before, and is not broken: its partition holds its disposal record only
 * (or, while its destruction is under way, what is left until the next run finishes it).
 * test/support/sandbox.ts runs the same check on every case of each servers test file's table.
 */
const client = (endpoint?: string) =>
  DynamoDBDocumentClient.from(new DynamoDBClient({ ...(endpoint ? { endpoint } : {}), region: process.env.AWS_REGION ?? 'eu-west-2' }));

/** A disposed case's partition: its disposal record, and whether its destruction is still under way (the case item is left). */
export interface DisposedReport {
  reference: string;
  ok: true;
  disposed: CaseDisposal;
  underWay: boolean;
}
export type PartitionReport = ChainReport | DisposedReport;

/** Every case partition of a table, item by item (a scan visits partitions in no order, so they are grouped). */
export const verifyTable = async (documents: DynamoDBDocumentClient, table: string): Promise<PartitionReport[]> => {
  const partitions = new Map<string, Array<Record<string, unknown>>>();
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(
      new ScanCommand({
        TableName: table,
        FilterExpression: 'begins_with(pk, :case)',
        ExpressionAttributeValues: { ':case': 'CASE#' },
        ConsistentRead: true,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    for (const item of page.Items ?? []) partitions.set(String(item.pk), [...(partitions.get(String(item.pk)) ?? []), item]);
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return [...partitions].sort(([a], [b]) => a.localeCompare(b)).flatMap(([pk, items]) => reportOn(pk.slice('CASE#'.length), sortedByKey(items)));
};

export const verifyOne = async (documents: DynamoDBDocumentClient, table: string, reference: string): Promise<PartitionReport[]> => {
  const { Items } = await documents.send(
    new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `CASE#${reference}` }, ConsistentRead: true }),
  );
  return reportOn(reference, Items ?? []);
};

// DynamoDB's own order of sort keys (UTF-8 bytes), as a query returns them.
const sortedByKey = (items: Array<Record<string, unknown>>) => [...items].sort((a, b) => Buffer.compare(Buffer.from(String(a.sk)), Buffer.from(String(b.sk))));

const reportOn = (reference: string, items: Array<Record<string, unknown>>): PartitionReport[] => {
  const disposed = disposalIn(items);
  if (disposed) return [{ reference, ok: true, disposed: disposed.disposal, underWay: items.some((i) => i.sk === 'CASE') }];
  const evidence = chainEvidenceOf(reference, items);
  return evidence ? [verifyChain(evidence)] : [];
};

/** One line of the report: ok, disposed of, or what broke and where. */
export const describeReport = (report: PartitionReport): string => {
  if ('disposed' in report) {
    const on = dateInWords(londonDate(new Date(report.disposed.disposedAt)));
    const head = `final head event ${report.disposed.finalHead.seq}`;
    return report.underWay
      ? `${report.reference}: disposal under way since ${on} (the next EraseExpiredPersonalData run finishes it), ${head}`
      : `${report.reference}: disposed of on ${on}, ${head}`;
  }
  const from = report.chainedFrom && report.chainedFrom > 1 ? `, chained from event ${report.chainedFrom}` : '';
  const pending = report.pending ? `, ${report.pending} event(s) awaiting the next write` : '';
  if (report.ok) return `${report.reference}: ok, ${report.events} events${from}${pending}`;
  const broken = report.broken;
  const where = broken?.seq ? `event ${broken.seq}${broken.type ? ` (${broken.type})` : ''}` : '';
  return `${report.reference}: BROKEN at ${[where, broken?.item].filter(Boolean).join(', ')}: ${broken?.what}`;
};

const main = async () => {
  const args = process.argv.slice(2);
  const option = (name: string) => {
    const at = args.indexOf(`--${name}`);
    return at >= 0 ? args[at + 1] : undefined;
  };
  const documents = client(option('endpoint') ?? process.env.AWS_ENDPOINT_URL_DYNAMODB ?? 'http://localhost:8000');
  const table = option('table') ?? 'NotificationsTable';
  const reference = option('reference');
  const reports = reference ? await verifyOne(documents, table, reference) : await verifyTable(documents, table);
  if (reference && !reports.length) {
    process.stderr.write(`No case ${reference} in ${table}.\n`);
    process.exit(2);
  }
  for (const report of reports) process.stdout.write(`${describeReport(report)}\n`);
  const broken = reports.filter((r) => !r.ok).length;
  const disposed = reports.filter((r) => 'disposed' in r).length;
  process.stdout.write(`${reports.length - disposed} case(s) verified, ${broken} broken, ${disposed} disposed of\n`);
  process.exit(broken ? 1 : 0);
};

if (process.argv[1]?.endsWith('verify-history.ts')) await main();
