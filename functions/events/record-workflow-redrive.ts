import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import * as z from 'zod';
import { logger } from '../adapters/powertools';
import { recordRedrive } from '../use-cases/workflow-faults';

/**
 * RecordWorkflowRedrive: EventBridge's "Step Functions Execution Status Change" event for a
 * SscTriageWorkflow execution that is RUNNING again because it was redriven (redriveCount > 0).
 */
const Redriven = z.object({
  'detail-type': z.literal('Step Functions Execution Status Change'),
  detail: z.object({
    name: z.string(),
    status: z.literal('RUNNING'),
    redriveCount: z.int().min(1),
    redriveDate: z.number().nullish(),
  }),
});

export const handler = middy(async (event: unknown) => {
  const { detail } = Redriven.parse(event);
  return { outcome: await recordRedrive(detail) };
}).use(injectLambdaContext(logger, { resetKeys: true }));
