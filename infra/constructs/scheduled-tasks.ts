import { Duration } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { type ScheduledTaskName, scheduledTasks } from '../../functions/catalogue';

export interface ScheduledTasksProps {
  /** The function of each scheduled task of the catalogue. */
  functions: Record<ScheduledTaskName, IFunction>;
}

/**
 * ScheduledTasks: an EventBridge rule for each scheduled task of the catalogue, at its rate:
 * ResumeUnstartedCases (which starts the workflow of any case stored without one, and fails when
 * it cannot, which OperationsMonitoring alarms on) and PublishCaseGauges (SECAS's dashboard).
 */
export class ScheduledTasks extends Construct {
  constructor(scope: Construct, id: string, props: ScheduledTasksProps) {
    super(scope, id);
    for (const [name, task] of Object.entries(scheduledTasks) as Array<[ScheduledTaskName, (typeof scheduledTasks)[ScheduledTaskName]]>) {
      new Rule(this, name, {
        description: `Runs ${name} every ${task.everyMinutes} minutes`,
        schedule: Schedule.rate(Duration.minutes(task.everyMinutes)),
        targets: [new LambdaFunction(props.functions[name], { retryAttempts: 2 })],
      });
    }
  }
}
