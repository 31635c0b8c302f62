import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { CaseEvent, CaseRecord } from '../domain/case';
import { newDecisionId } from '../domain/decision-link';
import { formatReference, referenceYear } from '../domain/reference';
import type { SscDecisionKind } from '../domain/ssc-decision';
import { documentClient } from './aws-clients';
import { config } from './config';

/**
 * The NotificationsTable, one table for every item of a case:
 *   CASE#<reference>            / CASE      the case: status, submission, history, SSC decision
 *   REFERENCE_SEQUENCE#<year>   / SEQUENCE  the last reference number issued that year
 *   DECISION#<decisionId>       / DECISION  an SSC decision request: the task token it resumes
 */
const caseKey = (reference: string) => ({ pk: `CASE#${reference}`, sk: 'CASE' });
const decisionKey = (decisionId: string) => ({ pk: `DECISION#${decisionId}`, sk: 'DECISION' });
const table = () => config().TABLE_NAME;

/**
 * Issues the next reference for the year. An atomic counter (ADD) never hands the same number
 * out twice, however many intakes run at once; a number whose case then fails to be written
 * is skipped, never reused.
 */
export const allocateReference = async (receivedAt: Date): Promise<string> => {
  const year = referenceYear(receivedAt);
  const { Attributes } = await documentClient().send(
    new UpdateCommand({
      TableName: table(),
      Key: { pk: `REFERENCE_SEQUENCE#${year}`, sk: 'SEQUENCE' },
      UpdateExpression: 'ADD lastNumber :one',
      ExpressionAttributeValues: { ':one': 1 },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  return formatReference(year, Number(Attributes?.lastNumber));
};

export const createCase = async (record: CaseRecord): Promise<void> => {
  await documentClient().send(
    new PutCommand({
      TableName: table(),
      Item: { ...caseKey(record.reference), ...record },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
};

export const getCase = async (reference: string): Promise<CaseRecord | undefined> => {
  const { Item } = await documentClient().send(
    new GetCommand({ TableName: table(), Key: caseKey(reference), ConsistentRead: true }),
  );
  if (!Item) return undefined;
  const { pk: _pk, sk: _sk, ...record } = Item;
  return record as CaseRecord;
};

export const appendCaseEvent = async (reference: string, event: CaseEvent): Promise<void> => {
  await documentClient().send(
    new UpdateCommand({
      TableName: table(),
      Key: caseKey(reference),
      UpdateExpression: 'SET history = list_append(history, :event)',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':event': [event] },
    }),
  );
};

export type DecisionRequestStatus = 'Pending' | 'Decided' | 'Lapsed';

export interface DecisionRequest {
  decisionId: string;
  reference: string;
  status: DecisionRequestStatus;
  /** The task token of the workflow's current wait. Never leaves the server. */
  taskToken: string;
  /** Epoch seconds after which the links no longer work. */
  expiresAt: number;
  decision?: SscDecisionKind;
  advice?: string;
  decidedAt?: string;
}

export const getDecisionRequest = async (decisionId: string): Promise<DecisionRequest | undefined> => {
  const { Item } = await documentClient().send(
    new GetCommand({ TableName: table(), Key: decisionKey(decisionId), ConsistentRead: true }),
  );
  if (!Item) return undefined;
  const { pk: _pk, sk: _sk, ttl: _ttl, ...request } = Item;
  return request as DecisionRequest;
};

/**
 * Opens the SSC decision request for the case's current wait, or, when one is already open
 * (the workflow re-entered the wait, e.g. after a reminder), hands it the new task token so
 * that links already emailed resolve to the current wait. Returns the request's id and expiry.
 */
export const openDecisionRequest = async (input: {
  reference: string;
  taskToken: string;
  expiresAt: number;
  event: CaseEvent;
}): Promise<{ decisionId: string; expiresAt: number; reopened: boolean }> => {
  const current = await getCase(input.reference);
  if (!current) throw new Error(`case ${input.reference} does not exist`);
  if (current.openDecisionId) {
    const { Attributes } = await documentClient().send(
      new UpdateCommand({
        TableName: table(),
        Key: decisionKey(current.openDecisionId),
        UpdateExpression: 'SET taskToken = :token',
        ConditionExpression: '#status = :pending',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':token': input.taskToken, ':pending': 'Pending' },
        ReturnValues: 'ALL_NEW',
      }),
    );
    await appendCaseEvent(input.reference, input.event);
    return { decisionId: current.openDecisionId, expiresAt: Number(Attributes?.expiresAt), reopened: true };
  }
  const decisionId = newDecisionId();
  const request: DecisionRequest = {
    decisionId,
    reference: input.reference,
    status: 'Pending',
    taskToken: input.taskToken,
    expiresAt: input.expiresAt,
  };
  await documentClient().send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Put: {
            TableName: table(),
            // TTL removes the request (and its token) 30 days after its links expire.
            Item: { ...decisionKey(decisionId), ...request, ttl: input.expiresAt + 30 * 86_400 },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Update: {
            TableName: table(),
            Key: caseKey(input.reference),
            UpdateExpression: 'SET openDecisionId = :id, #status = :awaiting, history = list_append(history, :event)',
            ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(openDecisionId)',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':id': decisionId, ':awaiting': 'AwaitingSscDecision', ':event': [input.event] },
          },
        },
      ],
    }),
  );
  return { decisionId, expiresAt: input.expiresAt, reopened: false };
};

/**
 * Takes the decision: Pending → Decided, once. Returns the request as it was (with the task
 * token to resume), or undefined when it was no longer pending or its links had expired.
 */
export const claimDecision = async (input: {
  decisionId: string;
  decision: SscDecisionKind;
  advice: string;
  decidedAt: string;
}): Promise<DecisionRequest | undefined> => {
  try {
    const { Attributes } = await documentClient().send(
      new UpdateCommand({
        TableName: table(),
        Key: decisionKey(input.decisionId),
        UpdateExpression: 'SET #status = :decided, decision = :decision, advice = :advice, decidedAt = :at',
        ConditionExpression: '#status = :pending AND expiresAt > :now',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':decided': 'Decided',
          ':pending': 'Pending',
          ':decision': input.decision,
          ':advice': input.advice,
          ':at': input.decidedAt,
          ':now': Math.floor(Date.parse(input.decidedAt) / 1000),
        },
        ReturnValues: 'ALL_OLD',
      }),
    );
    const { pk: _pk, sk: _sk, ttl: _ttl, ...request } = Attributes ?? {};
    return request as DecisionRequest;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return undefined;
    throw error;
  }
};

/** Undoes a claim whose workflow could not be resumed for a passing reason, so the SSC can retry. */
export const releaseDecision = async (decisionId: string, decidedAt: string): Promise<void> => {
  await documentClient().send(
    new UpdateCommand({
      TableName: table(),
      Key: decisionKey(decisionId),
      UpdateExpression: 'SET #status = :pending REMOVE decision, advice, decidedAt',
      ConditionExpression: '#status = :decided AND decidedAt = :at',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':pending': 'Pending', ':decided': 'Decided', ':at': decidedAt },
    }),
  );
};

/** Marks a claimed request whose wait had already ended (timed out, case closed): it decided nothing. */
export const lapseDecision = async (decisionId: string): Promise<void> => {
  await documentClient().send(
    new UpdateCommand({
      TableName: table(),
      Key: decisionKey(decisionId),
      UpdateExpression: 'SET #status = :lapsed',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':lapsed': 'Lapsed' },
    }),
  );
};

export const isConflict = (error: unknown): boolean =>
  error instanceof ConditionalCheckFailedException || error instanceof TransactionCanceledException;
