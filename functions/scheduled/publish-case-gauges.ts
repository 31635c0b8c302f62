import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import * as z from 'zod';
import { logger } from '../adapters/powertools';
import { publishCaseGauges } from '../use-cases/case-gauges';

/** PublishCaseGauges, every quarter of an hour (an EventBridge scheduled event; its `time` is "now"). */
const ScheduledEvent = z.object({ time: z.iso.datetime({ offset: true }) });

export const handler = middy(async (event: unknown) => {
  const gauges = await publishCaseGauges(new Date(ScheduledEvent.parse(event).time));
  logger.info('case gauges published', { ...gauges });
  return gauges;
}).use(injectLambdaContext(logger, { resetKeys: true }));
