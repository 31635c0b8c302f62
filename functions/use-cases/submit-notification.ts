import { IdempotencyConfig, IdempotencyAlreadyInProgressError, IdempotencyValidationError, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { Context } from 'aws-lambda';
import { config, deadlineSettings } from '../adapters/config';
import { allocateReference, createCase, deleteUnstartedCase } from '../adapters/cases-repository';
import { logger } from '../adapters/powertools';
import { startCaseWorkflow } from '../adapters/workflow-client';
import type { CaseRecord } from '../domain/case';
import { annualReviewReminderAt } from '../domain/deadlines';
import type { NotificationSubmission } from '../domain/notification';
import { Problem } from '../domain/problem';
import { triage } from '../domain/triage';

/** What the SscTriageWorkflow execution starts with. */
export interface WorkflowInput {
  reference: string;
  late: boolean;
  annualReview: { remindAt: string };
}

/**
 * Files a notification: triage, a reference, the case, then its workflow. The case is
 * written before the execution starts, so an execution never exists without its case; if the
 * execution cannot be started the case is removed again, so no case is left without one.
 */
export const submitNotification = async (submission: NotificationSubmission, now: Date): Promise<CaseRecord> => {
  const settings = deadlineSettings();
  const { recommendation, recommendationReasons, late, lateReasons, decideBefore } = triage(submission, now, settings);
  const reference = await allocateReference(now);
  const receivedAt = now.toISOString();
  const record: CaseRecord = {
    reference,
    status: 'Received',
    late,
    lateReasons,
    receivedAt,
    submission,
    triage: { recommendation, recommendationReasons, ...(decideBefore ? { decideBefore } : {}) },
    informationExchanges: [],
    history: [{ at: receivedAt, type: late ? 'LateNotificationReceived' : 'NotificationReceived', actor: { kind: 'User', id: submission.contact.email } }],
  };
  await createCase(record);
  const input: WorkflowInput = {
    reference,
    late,
    annualReview: { remindAt: annualReviewReminderAt(submission.existingUserSystem.nextAnnualReviewOn, now, settings) },
  };
  try {
    await startCaseWorkflow(reference, input);
  } catch (error) {
    logger.error('could not start the workflow; removing the case', { reference, error: error as Error });
    await deleteUnstartedCase(reference);
    throw error;
  }
  return record;
};

/**
 * With an Idempotency-Key: the same key and body give the same case (for 24 hours); the same
 * key with another body, or while the first request is still running, is a 409.
 * Powertools' idempotency utility keeps the record in the NotificationsTable.
 */
const idempotency = new IdempotencyConfig({
  eventKeyJmesPath: '[caller, idempotencyKey]',
  payloadValidationJmesPath: 'submission',
  expiresAfterSeconds: 24 * 3600,
});
let idempotentSubmit: ((request: { caller: string; idempotencyKey: string; submission: NotificationSubmission }) => Promise<CaseRecord>) | undefined;

export const submitNotificationOnce = async (
  idempotencyKey: string,
  caller: string,
  submission: NotificationSubmission,
  context: Context,
): Promise<CaseRecord> => {
  idempotentSubmit ??= makeIdempotent((request: { submission: NotificationSubmission }) => submitNotification(request.submission, new Date()), {
    persistenceStore: new DynamoDBPersistenceLayer({
      tableName: config().TABLE_NAME,
      keyAttr: 'pk',
      sortKeyAttr: 'sk',
      staticPkValue: 'IDEMPOTENCY#SubmitNotification',
      expiryAttr: 'ttl',
    }),
    config: idempotency,
  });
  idempotency.registerLambdaContext(context);
  try {
    return await idempotentSubmit({ caller, idempotencyKey, submission });
  } catch (error) {
    if (error instanceof IdempotencyValidationError) {
      throw new Problem(409, 'idempotency-key-reused', 'Idempotency-Key reused', 'This Idempotency-Key was already used with a different body.');
    }
    if (error instanceof IdempotencyAlreadyInProgressError) {
      throw new Problem(409, 'request-in-progress', 'Request in progress', 'A request with this Idempotency-Key is still being processed; retry shortly.', {
        headers: { 'Retry-After': '2' },
      });
    }
    throw error;
  }
};
