import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import * as z from 'zod';
import { logger } from '../adapters/powertools';
import { anchorCaseHistories } from '../use-cases/history-anchors';

/** AnchorCaseHistories, once a day (an EventBridge scheduled event; its `time` is "now"). */
const ScheduledEvent = z.object({ time: z.iso.datetime({ offset: true }) });

export const handler = middy(async (event: unknown) => {
  const anchored = await anchorCaseHistories(new Date(ScheduledEvent.parse(event).time));
  logger.info('case histories anchored', { ...anchored });
  return anchored;
}).use(injectLambdaContext(logger, { resetKeys: true }));
