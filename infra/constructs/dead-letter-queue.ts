import { Duration, Validations } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/**
 * A dead-letter queue of this product: encrypted, TLS only, kept 14 days, read by people (each
 * has an alarm in OperationsMonitoring and a runbook row), never redriven automatically, so it
 * has no dead-letter queue of its own.
 */
export const deadLetterQueue = (scope: Construct, id: string, of: string): Queue => {
  const queue = new Queue(scope, id, { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true, retentionPeriod: Duration.days(14) });
  Validations.of(queue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason: `It is itself the dead-letter queue of ${of}; its messages are read by people, never redriven automatically.`,
  });
  return queue;
};
