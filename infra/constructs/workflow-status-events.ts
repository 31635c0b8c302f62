import { Duration } from 'aws-cdk-lib';
import { Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { Function as LambdaFunctionResource } from 'aws-cdk-lib/aws-lambda';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { asyncDeadLetters } from './dead-letter-queue';

export interface WorkflowStatusEventsProps {
  /** The function's name in the catalogue, e.g. AlertSecasOfWorkflowFault. */
  name: string;
  stateMachineArn: string;
  handler: LambdaFunctionResource;
  /** The execution statuses that reach it (its catalogue trigger). */
  statuses: string[];
  /** Only the RUNNING events of a redrive (redriveCount above 0). */
  redriven?: boolean;
}

/**
 * WorkflowStatusEvents: SscTriageWorkflow's "Execution Status Change" events of some statuses, to a
 * function of the catalogue: AlertSecasOfWorkflowFault for every execution that stops FAILED,
 * TIMED_OUT or ABORTED (it records the fault on the case and emails SECAS), RecordWorkflowRedrive
 * for every redrive. EventBridge retries a failed delivery for a day; Lambda retries a failed run
 * twice; either way what did not happen ends in one dead-letter queue (alarmed), so nothing about
 * a case's workflow is lost silently.
 */
export class WorkflowStatusEvents extends Construct {
  readonly deadLetters: Queue;

  constructor(scope: Construct, id: string, props: WorkflowStatusEventsProps) {
    super(scope, id);
    this.deadLetters = asyncDeadLetters(this, 'DeadLetters', props.handler, `the ${props.name} events`);
    new Rule(this, 'StatusChange', {
      description: `SscTriageWorkflow executions ${props.redriven ? 'redriven' : props.statuses.join(', ')}: to ${props.name}`,
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: {
          stateMachineArn: [props.stateMachineArn],
          status: props.statuses,
          ...(props.redriven ? { redriveCount: [{ numeric: ['>', 0] }] } : {}),
        },
      },
      targets: [new LambdaFunction(props.handler, { retryAttempts: 185, maxEventAge: Duration.hours(24), deadLetterQueue: this.deadLetters })],
    });
  }
}
