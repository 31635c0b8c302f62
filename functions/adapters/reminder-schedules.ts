import { ConflictException, CreateScheduleCommand, DeleteScheduleCommand, ResourceNotFoundException } from '@aws-sdk/client-scheduler';
import { schedulerClient } from './aws-clients';
import { setting } from './config';

/** A case's annual-review reminder schedule is named after the case: one per case, found by its reference. */
export const annualReviewScheduleName = (reference: string): string => `annual-review-${reference}`;

/**
 * Creates the one-time EventBridge Scheduler schedule that invokes RemindOfAnnualReview for the
 * case at a UK wall-clock time. Scheduler deletes it once it has fired; an invocation it cannot
 * make is retried for a day, then kept in the dead-letter queue that SECAS is alarmed on.
 * Idempotent: a schedule of that name already there was made by an earlier try of this task.
 */
export const scheduleAnnualReviewReminder = async (
  reference: string,
  londonTime: string,
  name = annualReviewScheduleName(reference),
): Promise<{ name: string; created: boolean }> => {
  try {
    await schedulerClient().send(
      new CreateScheduleCommand({
        Name: name,
        GroupName: setting('ANNUAL_REVIEW_SCHEDULE_GROUP'),
        Description: `Reminds the User and SECAS of the annual review that case ${reference} was deferred to`,
        ScheduleExpression: `at(${londonTime})`,
        ScheduleExpressionTimezone: 'Europe/London',
        FlexibleTimeWindow: { Mode: 'OFF' },
        ActionAfterCompletion: 'DELETE',
        Target: {
          Arn: setting('ANNUAL_REVIEW_REMINDER_ARN'),
          RoleArn: setting('ANNUAL_REVIEW_SCHEDULER_ROLE_ARN'),
          // The scheduled time, filled in by Scheduler, is when the reminder was due.
          Input: JSON.stringify({ reference, scheduledTime: '<aws.scheduler.scheduled-time>' }),
          RetryPolicy: { MaximumEventAgeInSeconds: 86_400, MaximumRetryAttempts: 185 },
          DeadLetterConfig: { Arn: setting('ANNUAL_REVIEW_DEAD_LETTER_ARN') },
        },
      }),
    );
    return { name, created: true };
  } catch (error) {
    if (error instanceof ConflictException) return { name, created: false };
    throw error;
  }
};

/** Deletes a reminder schedule another has replaced; one already gone (it fired, or an earlier try deleted it) is no error. */
export const deleteAnnualReviewReminder = async (name: string): Promise<void> => {
  try {
    await schedulerClient().send(new DeleteScheduleCommand({ Name: name, GroupName: setting('ANNUAL_REVIEW_SCHEDULE_GROUP') }));
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
};
