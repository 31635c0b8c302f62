import { IdempotencyConfig, IdempotencyAlreadyInProgressError, IdempotencyValidationError, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { meetingCalendar, setting } from '../adapters/config';
import { dynamodbClient } from '../adapters/aws-clients';
import { allocateReference, createCase } from '../adapters/cases-repository';
import { employmentOf, getProvider } from '../adapters/shared-resource-register';
import { businessMetric, logger } from '../adapters/powertools';
import { startCaseWorkflow } from '../adapters/workflow-client';
import type { CaseRecord } from '../domain/case';
import { notificationDateErrors } from '../domain/admission';
import type { NotificationSubmission } from '../domain/notification';
import { type SscMeeting, nextMeeting } from '../domain/ssc-meetings';
import { Problem, invalidFields } from '../domain/problem';
import { providerIdOf } from '../domain/shared-resources';
import { type Triage, triage } from '../domain/triage';
import { londonDate } from '../domain/working-days';

/** What the SscTriageWorkflow execution starts with. */
export interface WorkflowInput {
  reference: string;
  late: boolean;
}

/**
 * The execution's input, from the case alone: whoever starts the workflow (the intake, or the
 * sweep after a crash) starts it with the same input, so Step Functions treats a second start
 * of a running execution as the same one.
 */
export const workflowInputFor = (record: CaseRecord): WorkflowInput => ({
  reference: record.reference,
  late: record.late,
});

/** Starts a case's workflow; an execution that already exists counts as started. */
export const startWorkflowOf = async (record: CaseRecord): Promise<void> => {
  await startCaseWorkflow(record.reference, workflowInputFor(record));
};

/**
 * The SSC meeting that can first decide a notice received now. A calendar that gives none is a
 * configuration error the workflow stops on (and SECAS is alerted); it must not refuse the
 * User's notice, which then only misses the live-date lateness check until it is corrected.
 */
const firstMeeting = (now: Date): SscMeeting | undefined => {
  try {
    const meeting = nextMeeting(meetingCalendar(), londonDate(now));
    if (!meeting) logger.error('the SSC meeting calendar has no meeting ahead');
    return meeting;
  } catch (error) {
    logger.error('the SSC meeting calendar cannot be read', error as Error);
    return undefined;
  }
};

/** The provider a notice names, by its id in the register (none for a system run in-house). */
export const providerOf = (submission: NotificationSubmission): string | undefined => {
  const operator = submission.newUserSystem.operator;
  return operator.kind === 'SharedResourceProvider' ? providerIdOf(operator.providerName) : undefined;
};

/**
 * Triage of a notice given on `noticeOn`: the register's answer for the provider it names (by key,
 * GetItem, as it stands now), judged by the pure triage against the first SSC meeting from that day.
 */
export const triageOf = async (submission: NotificationSubmission, noticeOn: Date): Promise<{ providerId: string | undefined; triage: Triage }> => {
  const providerId = providerOf(submission);
  const register = providerId !== undefined ? { provider: providerId ? await getProvider(providerId) : undefined } : undefined;
  return { providerId, triage: triage(submission, noticeOn, firstMeeting(noticeOn), register) };
};

/** Refuses (422) a notification whose dates the workflow could not carry, before anything is written. */
export const admitNotification = (submission: NotificationSubmission, now: Date): void => {
  const errors = notificationDateErrors(submission, londonDate(now));
  if (errors.length) throw invalidFields(errors);
};

/**
 * Files a notification for the User `ownerId`: triage, a reference, the case, then its workflow.
 *
 * The order is the guarantee. The case is written first and is the commit point: once it is
 * stored the notification is accepted, and an execution only ever starts for a stored case.
 * If the execution cannot be started now (Step Functions unavailable, or a crash right after
 * the write), the case stays Received and the ResumeUnstartedCases sweep starts its workflow
 * a few minutes later with the same input; so the User gets 201 either way, and nothing waits
 * for ever. A crash before the write leaves only a skipped reference number.
 */
export const submitNotification = async (submission: NotificationSubmission, ownerId: string, now: Date): Promise<CaseRecord> => {
  admitNotification(submission, now);
  const { providerId, triage: found } = await triageOf(submission, now);
  const { recommendation, recommendationReasons, late, lateReasons, decideBefore, register: check } = found;
  const reference = await allocateReference(now, ownerId);
  const receivedAt = now.toISOString();
  const record: CaseRecord = {
    reference,
    ownerId,
    status: 'Received',
    late,
    lateReasons,
    receivedAt,
    submission,
    triage: { recommendation, recommendationReasons, ...(decideBefore ? { decideBefore } : {}), ...(check ? { register: check } : {}) },
    historyPages: 0,
    informationRounds: 0,
    history: [{ at: receivedAt, type: late ? 'LateNotificationReceived' : 'NotificationReceived', actor: { kind: 'User', id: ownerId } }],
  };
  // The case and, when it names a provider, its entry under the provider (SEC G10.8: who employs it), in one write.
  await createCase(record, providerId ? employmentOf(providerId, record) : undefined);
  logger.appendKeys({ reference });
  businessMetric('NotificationsFiled', { Late: String(late) });
  try {
    await startWorkflowOf(record);
  } catch (error) {
    logger.warn('the workflow could not be started now; the sweep of unstarted cases will start it', { reference, error: error as Error });
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

interface KeyedRequest {
  caller: string;
  idempotencyKey: string;
  submission: NotificationSubmission;
  /** This request's own id, outside the key and the payload check: the stored answer names the request that made it. */
  attempt: string;
}
/** The answer Powertools stores and replays. One stored before answers named their attempt is the bare case. */
export type StoredAnswer = { record: CaseRecord; attempt: string } | CaseRecord;
let idempotentSubmit: ((request: KeyedRequest) => Promise<StoredAnswer>) | undefined;

/** The case a keyed request filed, and whether this answer replays the first request's (the case as it was then). */
export interface KeyedSubmission {
  record: CaseRecord;
  replayed: boolean;
}

/** What the answer stored for a key says, to the request `attempt`: its own, or a replay of an earlier one's. */
export const keyedAnswer = (answer: StoredAnswer, attempt: string): KeyedSubmission =>
  'attempt' in answer ? { record: answer.record, replayed: answer.attempt !== attempt } : { record: answer, replayed: true };

export const submitNotificationOnce = async (
  idempotencyKey: string,
  caller: string,
  submission: NotificationSubmission,
  context: Context,
): Promise<KeyedSubmission> => {
  idempotentSubmit ??= makeIdempotent(
    async (request: KeyedRequest): Promise<StoredAnswer> => ({
      record: await submitNotification(request.submission, request.caller, new Date()),
      attempt: request.attempt,
    }),
    {
      persistenceStore: new DynamoDBPersistenceLayer({
        tableName: setting('TABLE_NAME'),
        keyAttr: 'pk',
        sortKeyAttr: 'sk',
        staticPkValue: 'IDEMPOTENCY#SubmitNotification',
        expiryAttr: 'ttl',
        awsSdkV3Client: dynamodbClient(),
      }),
      config: idempotency,
    },
  );
  // Refused before the idempotency record is made: a corrected body may reuse the key.
  admitNotification(submission, new Date());
  idempotency.registerLambdaContext(context);
  const attempt = randomUUID();
  try {
    return keyedAnswer(await idempotentSubmit({ caller, idempotencyKey, submission, attempt }), attempt);
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
