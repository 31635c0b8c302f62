import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import * as z from 'zod';
import { logger } from '../adapters/powertools';
import { resumeUnstartedCases } from '../use-cases/resume-unstarted-cases';

/**
 * ResumeUnstartedCases, every few minutes (an EventBridge scheduled event; its `time` is "now").
 * Fails when any case could not be started, so the function's Errors alarm tells SECAS.
 */
const ScheduledEvent = z.object({ time: z.iso.datetime({ offset: true }) });

export const handler = middy(async (event: unknown) => {
  const report = await resumeUnstartedCases(new Date(ScheduledEvent.parse(event).time));
  logger.info('sweep of unstarted cases', { ...report });
  if (report.failed.length) throw new Error(`could not start the workflow of ${report.failed.join(', ')}`);
  return report;
}).use(injectLambdaContext(logger, { resetKeys: true }));
