import { Duration, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/**
 * A dead-letter queue of this product: encrypted, TLS only, kept 14 days, read by people (each
 * has an alarm in OperationsMonitoring and a runbook row), never redriven automatically, so it
 * has no dead-letter queue of its own.
 */
export const deadLetterQueue = (scope: Construct, id: string, of: string, queueName?: string): Queue => {
  const queue = new Queue(scope, id, {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
    ...(queueName ? { queueName } : {}),
  });
  Validations.of(queue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason: `It is itself the dead-letter queue of ${of}; its messages are read by people, never redriven automatically.`,
  });
  return queue;
};

/** How Lambda treats an asynchronous invocation that fails: its own two retries, then the queue. */
export const ASYNC_RETRY_ATTEMPTS = 2;
export const ASYNC_MAX_EVENT_AGE = Duration.hours(6);

/**
 * The dead letters of a function invoked asynchronously (by EventBridge or the Scheduler): once
 * its invoker has handed the event over, a *function* error is Lambda's to retry, and after its
 * retries Lambda sends the event to this queue (the on-failure destination). The invoker's own
 * delivery failures go to the same queue (its target's dead-letter queue), so one queue, one
 * alarm, holds everything that did not happen.
 */
export const asyncDeadLetters = (scope: Construct, id: string, fn: LambdaFunction, of: string, queueName?: string): Queue => {
  const queue = deadLetterQueue(scope, id, of, queueName);
  // Not CDK's SqsDestination, which grants sqs:GetQueueAttributes and sqs:GetQueueUrl as well: Lambda sends the
  // failed event with the function's role, and needs sqs:SendMessage only (the permission test holds it to that).
  fn.configureAsyncInvoke({
    retryAttempts: ASYNC_RETRY_ATTEMPTS,
    maxEventAge: ASYNC_MAX_EVENT_AGE,
    onFailure: { bind: () => ({ destination: queue.queueArn }) },
  });
  fn.addToRolePolicy(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }));
  return queue;
};
