import { Duration } from 'aws-cdk-lib';
import { Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { deadLetterQueue } from './dead-letter-queue';
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
    this.deadLetters = deadLetterQueue(this, 'UndeliveredAlerts', 'the fault alert rule');
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
