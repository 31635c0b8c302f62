import { Duration } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { scheduledTasks } from '../../functions/catalogue';

export interface UnstartedCaseSweepProps {
  sweepFunction: IFunction;
}

/**
 * UnstartedCaseSweep: runs ResumeUnstartedCases every few minutes, which starts the workflow of
 * any case stored without one (its function fails when it cannot, which OperationsMonitoring alarms on).
 */
export class UnstartedCaseSweep extends Construct {
  constructor(scope: Construct, id: string, props: UnstartedCaseSweepProps) {
    super(scope, id);
    new Rule(this, 'Schedule', {
      description: 'Start the workflow of any case stored without one',
      schedule: Schedule.rate(Duration.minutes(scheduledTasks.ResumeUnstartedCases.everyMinutes)),
      targets: [new LambdaFunction(props.sweepFunction, { retryAttempts: 2 })],
    });
  }
}
