import { Duration } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { Function as LambdaFunctionResource } from 'aws-cdk-lib/aws-lambda';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { asyncDeadLetters } from './dead-letter-queue';

export interface ScheduledTaskProps {
  /** Its name in the catalogue, e.g. ResumeUnstartedCases. */
  name: string;
  fn: LambdaFunctionResource;
  everyMinutes: number;
}

/**
 * A scheduled task of the catalogue: an EventBridge rule at its rate, e.g. ResumeUnstartedCases
 * (which starts the workflow of any case stored without one) and PublishCaseGauges (SECAS's
 * dashboard). A run that fails after Lambda's retries, or that EventBridge could not deliver, is
 * kept in its dead-letter queue (alarmed): the next run tries again, the queue says one was missed.
 */
export class ScheduledTask extends Construct {
  readonly deadLetters: Queue;

  constructor(scope: Construct, id: string, props: ScheduledTaskProps) {
    super(scope, id);
    this.deadLetters = asyncDeadLetters(this, 'MissedRuns', props.fn, `the scheduled runs of ${props.name}`);
    new Rule(this, 'Schedule', {
      description: `Runs ${props.name} every ${props.everyMinutes} minutes`,
      schedule: Schedule.rate(Duration.minutes(props.everyMinutes)),
      // A run is worth retrying only until the next one starts.
      targets: [new LambdaFunction(props.fn, { retryAttempts: 2, maxEventAge: Duration.minutes(props.everyMinutes), deadLetterQueue: this.deadLetters })],
    });
  }
}
