import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import * as z from 'zod';
import { logger } from '../adapters/powertools';
import { alertSecasOfWorkflowFault } from '../use-cases/workflow-faults';

/**
 * AlertSecasOfWorkflowFault: EventBridge's "Step Functions Execution Status Change" event for a
 * SscTriageWorkflow execution that FAILED, TIMED_OUT or was ABORTED. An error here makes
 * EventBridge retry the delivery (and park it in the dead-letter queue after a day).
 */
const StatusChange = z.object({
  'detail-type': z.literal('Step Functions Execution Status Change'),
  detail: z.object({
    executionArn: z.string(),
    name: z.string(),
    status: z.enum(['FAILED', 'TIMED_OUT', 'ABORTED']),
    stopDate: z.number().nullish(),
    error: z.string().nullish(),
    cause: z.string().nullish(),
  }),
});

export const handler = middy(async (event: unknown) => {
  const { detail } = StatusChange.parse(event);
  return { outcome: await alertSecasOfWorkflowFault(detail) };
}).use(injectLambdaContext(logger, { resetKeys: true }));
