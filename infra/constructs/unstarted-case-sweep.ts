import { Duration } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { scheduledTasks } from '../../functions/catalogue';
import { alarmOnAny } from './alarm-on-any';

export interface UnstartedCaseSweepProps {
  sweepFunction: IFunction;
}

/**
 * UnstartedCaseSweep: runs ResumeUnstartedCases every few minutes, which starts the workflow of
 * any case stored without one; an alarm when it cannot (its function fails then).
 */
export class UnstartedCaseSweep extends Construct {
  constructor(scope: Construct, id: string, props: UnstartedCaseSweepProps) {
    super(scope, id);
    new Rule(this, 'Schedule', {
      description: 'Start the workflow of any case stored without one',
      schedule: Schedule.rate(Duration.minutes(scheduledTasks.ResumeUnstartedCases.everyMinutes)),
      targets: [new LambdaFunction(props.sweepFunction, { retryAttempts: 2 })],
    });
    alarmOnAny(
      this,
      'SweepFailingAlarm',
      props.sweepFunction.metricErrors({ period: Duration.minutes(15) }),
      'A case could not have its workflow started: see the ResumeUnstartedCases logs.',
    );
  }
}
