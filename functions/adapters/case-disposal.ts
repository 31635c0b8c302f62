import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { CaseDisposal } from '../domain/disposal';
import { documentClient } from './aws-clients';
import { casePartition, isConflict } from './cases-repository';
import { setting } from './config';

/**
 * A disposed case's record, by key in the case's own partition (no index: the owner and SECAS ask
 * for it by reference; see cases-repository.ts's key map):
 *   CASE#<reference> / DISPOSED   when and under what the case was disposed of, its final verified head
 * It carries neither `status` nor `receivedAt`, so neither index holds it; `ownerId` is kept beside
 * the record so that only the owner and SECAS are told the case existed.
 */
export const DISPOSED_SK = 'DISPOSED';
const disposalKey = (reference: string) => ({ pk: `CASE#${reference}`, sk: DISPOSED_SK });
const table = () => setting('TABLE_NAME');

export interface StoredDisposal {
  disposal: CaseDisposal;
  ownerId: string;
}

/** A stored record as its schema says, or none: one that does not parse was not written by the disposal (the anchoring names the case). */
const storedOf = (item: Record<string, unknown> | undefined): StoredDisposal | undefined => {
  if (!item) return undefined;
  const { pk: _pk, sk: _sk, ownerId, ...disposal } = item;
  const parsed = CaseDisposal.safeParse(disposal);
  return parsed.success && typeof ownerId === 'string' ? { disposal: parsed.data, ownerId } : undefined;
};

/** The case's disposal record, if it was disposed of (or its disposal is under way). */
export const readDisposal = async (reference: string): Promise<StoredDisposal | undefined> =>
  storedOf((await documentClient().send(new GetCommand({ TableName: table(), Key: disposalKey(reference), ConsistentRead: true }))).Item);

/**
 * The disposal record among the items of a case's partition, as its read found them, where it
 * stands: no case item is left, or the case item is the one it records (its final status and its
 * chain's head), its destruction under way. A record beside any other case item is none: the case
 * is read and verified as any other, and a change made to it is found.
 */
export const disposalIn = (items: Array<Record<string, unknown>>): StoredDisposal | undefined => {
  const stored = storedOf(items.find((i) => i.sk === DISPOSED_SK));
  const caseItem = items.find((i) => i.sk === 'CASE');
  if (!stored || !caseItem) return stored;
  const head = caseItem.chain as { seq?: unknown; hash?: unknown } | undefined;
  const { finalStatus, finalHead } = stored.disposal;
  return caseItem.status === finalStatus && head?.seq === finalHead.seq && head.hash === finalHead.hash ? stored : undefined;
};

/** Writes the disposal record, once: a record already there (a run cut short) stands as it was written. */
export const recordDisposal = async (record: StoredDisposal): Promise<StoredDisposal | undefined> => {
  try {
    await documentClient().send(
      new PutCommand({
        TableName: table(),
        Item: { ...disposalKey(record.disposal.reference), ...record.disposal, ownerId: record.ownerId },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return record;
  } catch (error) {
    if (!isConflict(error)) throw error;
    return readDisposal(record.disposal.reference);
  }
};

/**
 * Destroys a case whose disposal record is written: every item of its partition but that record
 * (history pages, questions and answers, amendments, delivery problems, anything), its entry under
 * its Shared Resource Provider, and the case item last, only while it holds its final status, so
 * the index finds a case whose destruction was cut short until the next run finishes it. Each
 * delete is safe to repeat. Returns how many items were deleted, or 'moved-on' when the case item
 * no longer holds that status (which an ended case cannot do).
 */
export const destroyCase = async (reference: string, finalStatus: string, providerId: string | undefined): Promise<number | 'moved-on'> => {
  const items = await casePartition(reference);
  let deleted = 0;
  for (const item of items) {
    if (item.sk === 'CASE' || item.sk === DISPOSED_SK) continue;
    await documentClient().send(new DeleteCommand({ TableName: table(), Key: { pk: item.pk, sk: item.sk } }));
    deleted++;
  }
  if (providerId) {
    const { Attributes } = await documentClient().send(
      new DeleteCommand({ TableName: table(), Key: { pk: `PROVIDER#${providerId}`, sk: `CASE#${reference}` }, ReturnValues: 'ALL_OLD' }),
    );
    if (Attributes) deleted++;
  }
  if (!items.some((i) => i.sk === 'CASE')) return deleted;
  try {
    await documentClient().send(
      new DeleteCommand({
        TableName: table(),
        Key: { pk: `CASE#${reference}`, sk: 'CASE' },
        ConditionExpression: '#status = :final',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':final': finalStatus },
      }),
    );
  } catch (error) {
    if (!isConflict(error)) throw error;
    return 'moved-on';
  }
  return deleted + 1;
};
