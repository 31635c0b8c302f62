import { Stack } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { asyncDeadLetters } from './dead-letter-queue';

export interface AnnualReviewRemindersProps {
  /** RemindOfAnnualReview: what each schedule invokes when its reminder falls due (its name is fixed: see below). */
  reminder: LambdaFunction;
  /** The names every schedule stores: the reminder's role and dead-letter queue (the function's is fixed by the stack). */
  roleName: string;
  deadLetterQueueName: string;
}

/**
 * AnnualReviewReminders: a deferred case's reminder is a one-time EventBridge Scheduler schedule
 * (any distance ahead, in UK time), not a wait inside its execution, in the stack's schedule group
 * (kept if the stack goes: each schedule is a promise to a User). Each schedule stores the ARNs of the function it
 * invokes, the role it invokes it as and the queue for what it cannot deliver; those three have
 * names fixed by the stack and stage, so a schedule written before this stack was replaced, in the
 * group it left behind, still reaches them. Whatever cannot be delivered — by the Scheduler for a
 * day, or by Lambda after its retries — lands in the one queue that OperationsMonitoring alarms on.
 */
export class AnnualReviewReminders extends Construct {
  readonly deadLetters: Queue;
  readonly invoker: Role;

  constructor(scope: Construct, id: string, props: AnnualReviewRemindersProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.deadLetters = asyncDeadLetters(
      this,
      'UndeliveredReminders',
      props.reminder,
      'the reminder schedules and of RemindOfAnnualReview',
      props.deadLetterQueueName,
    );
    this.invoker = new Role(this, 'InvokeReminderRole', {
      roleName: props.roleName,
      description: 'Assumed by EventBridge Scheduler to invoke RemindOfAnnualReview for the annual-review schedules of this stage',
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com').withConditions({ StringEquals: { 'aws:SourceAccount': stack.account } }),
    });
    // The schedules invoke the unqualified ARN, so no "<arn>:*" version wildcard (grantInvoke's) is needed.
    this.invoker.addToPolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [props.reminder.functionArn] }));
    this.invoker.addToPolicy(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.deadLetters.queueArn] }));
  }
}
