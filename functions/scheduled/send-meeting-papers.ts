import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import * as z from 'zod';
import { logger } from '../adapters/powertools';
import { sendMeetingPapers } from '../use-cases/meeting-papers';

/** SendMeetingPapers, every hour (an EventBridge scheduled event; its `time` is "now"): sends on a paper deadline only, once. */
const ScheduledEvent = z.object({ time: z.iso.datetime({ offset: true }) });

export const handler = middy(async (event: unknown) => {
  const outcome = await sendMeetingPapers(new Date(ScheduledEvent.parse(event).time));
  // Hourly runs that send nothing are the rule: logged only at debug level.
  if (outcome.sent) logger.info('SSC meeting papers sent', { ...outcome });
  else logger.debug('SSC meeting papers not sent', { ...outcome });
  return outcome;
}).use(injectLambdaContext(logger, { resetKeys: true }));
