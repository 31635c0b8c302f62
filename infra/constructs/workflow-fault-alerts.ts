import { Duration } from 'aws-cdk-lib';
import { Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { Function as LambdaFunctionResource } from 'aws-cdk-lib/aws-lambda';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { asyncDeadLetters } from './dead-letter-queue';

export interface WorkflowFaultAlertsProps {
  stateMachineArn: string;
  alertFunction: LambdaFunctionResource;
  /** The execution statuses that reach it (catalogue: AlertSecasOfWorkflowFault). */
  statuses: string[];
}

/**
 * WorkflowFaultAlerts: every SscTriageWorkflow execution that stops FAILED, TIMED_OUT or ABORTED
 * reaches AlertSecasOfWorkflowFault (which records it on the case and emails SECAS). EventBridge
 * retries a failed delivery for a day; Lambda retries a failed alert twice; either way what did
 * not happen ends in one dead-letter queue (OperationsMonitoring alarms on it and on stopped
 * executions), so a fault is never silent.
 */
export class WorkflowFaultAlerts extends Construct {
  readonly deadLetters: Queue;

  constructor(scope: Construct, id: string, props: WorkflowFaultAlertsProps) {
    super(scope, id);
    this.deadLetters = asyncDeadLetters(this, 'UndeliveredAlerts', props.alertFunction, 'the fault alerts');
    new Rule(this, 'ExecutionStopped', {
      description: 'A SscTriageWorkflow execution stopped on a fault',
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: { stateMachineArn: [props.stateMachineArn], status: props.statuses },
      },
      targets: [new LambdaFunction(props.alertFunction, { retryAttempts: 185, maxEventAge: Duration.hours(24), deadLetterQueue: this.deadLetters })],
    });
  }
}
