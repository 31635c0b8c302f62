import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import * as z from 'zod';
import { logger } from '../adapters/powertools';
import { sendQuarterlyReport } from '../use-cases/service-report';

/** SendQuarterlyReport, once a day (an EventBridge scheduled event; its `time` is "now"): on the first Working Day of a quarter, the last quarter's report. */
const ScheduledEvent = z.object({ time: z.iso.datetime({ offset: true }) });

export const handler = middy(async (event: unknown) => {
  const run = await sendQuarterlyReport(new Date(ScheduledEvent.parse(event).time));
  logger.info(run.sent ? 'quarterly report sent' : 'no quarterly report due', { ...run });
  return run;
}).use(injectLambdaContext(logger, { resetKeys: true }));
