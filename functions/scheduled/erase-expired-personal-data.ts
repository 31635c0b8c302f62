import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import * as z from 'zod';
import { logger } from '../adapters/powertools';
import { eraseExpiredPersonalData } from '../use-cases/retention';

/** EraseExpiredPersonalData, once a day (an EventBridge scheduled event; its `time` is "now"). */
const ScheduledEvent = z.object({ time: z.iso.datetime({ offset: true }) });

export const handler = middy(async (event: unknown) => {
  const run = await eraseExpiredPersonalData(new Date(ScheduledEvent.parse(event).time));
  logger.info('personal data past its retention erased, cases past their decision record disposed of', { ...run });
  return run;
}).use(injectLambdaContext(logger, { resetKeys: true }));
