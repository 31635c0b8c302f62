import { Duration, Validations } from 'aws-cdk-lib';
import { MathExpression } from 'aws-cdk-lib/aws-cloudwatch';
import { Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { workflowEventHandlers } from '../../functions/catalogue';
import { alarmOnAny } from './alarm-on-any';

export interface WorkflowFaultAlertsProps {
  stateMachine: StateMachine;
  alertFunction: IFunction;
}

/**
 * WorkflowFaultAlerts: every SscTriageWorkflow execution that stops FAILED, TIMED_OUT or ABORTED
 * reaches AlertSecasOfWorkflowFault (which records it on the case and emails SECAS), retried
 * by EventBridge for a day and then kept in a dead-letter queue; and alarms in the console on
 * stopped executions and on undelivered alerts, so a fault is never silent.
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

    const stopped = new MathExpression({
      expression: 'failed + timedOut + aborted',
      usingMetrics: {
        failed: props.stateMachine.metricFailed({ period: Duration.minutes(5) }),
        timedOut: props.stateMachine.metricTimedOut({ period: Duration.minutes(5) }),
        aborted: props.stateMachine.metricAborted({ period: Duration.minutes(5) }),
      },
      label: 'Executions stopped on a fault',
    });
    alarmOnAny(this, 'ExecutionsStoppedAlarm', stopped, 'A case workflow stopped: see the SECAS alert email, fix the cause, redrive the execution.');
    alarmOnAny(
      this,
      'UndeliveredAlertsAlarm',
      this.deadLetters.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
      'A workflow fault alert could not be delivered for a day: read the dead-letter queue.',
    );
  }
}
