import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import * as z from 'zod';
import { logger } from '../adapters/powertools';
import { remindOfAnnualReview } from '../use-cases/annual-review';
import { withInput } from '../workflow/task';

/**
 * RemindOfAnnualReview, invoked by a case's one-time EventBridge Scheduler schedule with the
 * input ScheduleAnnualReviewReminder gave it (the scheduled time filled in by Scheduler). A
 * failure is retried by Lambda, then kept in the dead-letter queue SECAS is alarmed on.
 */
const ScheduledReminder = z.object({ reference: z.string().min(1), scheduledTime: z.iso.datetime({ offset: true }) });

export const handler = withInput(
  ScheduledReminder,
  middy(async (event: unknown) => {
    const { reference, scheduledTime } = ScheduledReminder.parse(event);
    logger.appendKeys({ reference });
    const outcome = await remindOfAnnualReview(reference, new Date(scheduledTime));
    logger.info('annual review reminder', { outcome });
    return { outcome };
  }).use(injectLambdaContext(logger, { resetKeys: true })),
);
