import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { deadLetterQueue } from './dead-letter-queue';

export interface AnnualReviewRemindersProps {
  /** RemindOfAnnualReview: what each schedule invokes when its reminder falls due. */
  reminder: LambdaFunction;
  /** ScheduleAnnualReviewReminder: the workflow task that leaves a deferred case's reminder to a schedule. */
  scheduling: LambdaFunction;
}

/**
 * AnnualReviewReminders: a deferred case's reminder is a one-time EventBridge Scheduler schedule
 * (any distance ahead, in UK time), not a wait inside its execution. The schedules live in their
 * own group (kept if the stack goes: each is a promise to a User), invoke RemindOfAnnualReview
 * through a role that may do only that, and whatever cannot be delivered — by the Scheduler for a
 * day, or by Lambda after its retries — lands in one dead-letter queue that OperationsMonitoring
 * alarms on.
 */
export class AnnualReviewReminders extends Construct {
  readonly group: ScheduleGroup;
  readonly deadLetters: Queue;

  constructor(scope: Construct, id: string, props: AnnualReviewRemindersProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.group = new ScheduleGroup(this, 'Schedules', { scheduleGroupName: `${stack.stackName}-AnnualReviews`, removalPolicy: RemovalPolicy.RETAIN });
    this.deadLetters = deadLetterQueue(this, 'UndeliveredReminders', 'the reminder schedules and of RemindOfAnnualReview');

    const invoker = new Role(this, 'InvokeReminderRole', {
      description: 'Assumed by EventBridge Scheduler to invoke RemindOfAnnualReview for the annual-review schedules of this stack',
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com').withConditions({ StringEquals: { 'aws:SourceAccount': stack.account } }),
    });
    // The schedules invoke the unqualified ARN, so no "<arn>:*" version wildcard (grantInvoke's) is needed.
    invoker.addToPolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [props.reminder.functionArn] }));
    this.deadLetters.grantSendMessages(invoker);
    // A function error is Lambda's to retry (the Scheduler's invocation is asynchronous); then the same queue.
    props.reminder.configureAsyncInvoke({ retryAttempts: 2, maxEventAge: Duration.hours(6), onFailure: new SqsDestination(this.deadLetters) });

    const scheduleArns = stack.formatArn({ service: 'scheduler', resource: 'schedule', resourceName: `${this.group.scheduleGroupName}/annual-review-*` });
    props.scheduling.addToRolePolicy(new PolicyStatement({ actions: ['scheduler:CreateSchedule'], resources: [scheduleArns] }));
    props.scheduling.addToRolePolicy(
      new PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [invoker.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    );
    Validations.of(props.scheduling.role ?? props.scheduling).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:${stack.region}:<AWS::AccountId>:schedule/${this.group.scheduleGroupName}/annual-review-*]`,
      reason: 'Schedules are named after case references (annual-review-<reference>), so they are known only by that prefix, in this group only.',
    });
    for (const [name, value] of Object.entries({
      ANNUAL_REVIEW_SCHEDULE_GROUP: this.group.scheduleGroupName,
      ANNUAL_REVIEW_REMINDER_ARN: props.reminder.functionArn,
      ANNUAL_REVIEW_SCHEDULER_ROLE_ARN: invoker.roleArn,
      ANNUAL_REVIEW_DEAD_LETTER_ARN: this.deadLetters.queueArn,
    })) {
      props.scheduling.addEnvironment(name, value);
    }
  }
}
