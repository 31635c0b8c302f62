import { Duration, Validations } from 'aws-cdk-lib';
import { Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { workflowEventHandlers } from '../../functions/catalogue';

export interface WorkflowFaultAlertsProps {
  stateMachine: StateMachine;
  alertFunction: IFunction;
}

/**
 * WorkflowFaultAlerts: every SscTriageWorkflow execution that stops FAILED, TIMED_OUT or ABORTED
 * reaches AlertSecasOfWorkflowFault (which records it on the case and emails SECAS), retried
 * by EventBridge for a day and then kept in a dead-letter queue (OperationsMonitoring alarms on
 * stopped executions and on that queue), so a fault is never silent.
 */
export class WorkflowFaultAlerts extends Construct {
  readonly deadLetters: Queue;

  constructor(scope: Construct, id: string, props: WorkflowFaultAlertsProps) {
    super(scope, id);
    this.deadLetters = new Queue(this, 'UndeliveredAlerts', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetters).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'It is itself the dead-letter queue of the fault alert rule; its messages are read by people, never redriven automatically.',
    });
    new Rule(this, 'ExecutionStopped', {
      description: 'A SscTriageWorkflow execution stopped on a fault',
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: { stateMachineArn: [props.stateMachine.stateMachineArn], status: [...workflowEventHandlers.AlertSecasOfWorkflowFault.statuses] },
      },
      targets: [new LambdaFunction(props.alertFunction, { retryAttempts: 185, maxEventAge: Duration.hours(24), deadLetterQueue: this.deadLetters })],
    });
  }
}
