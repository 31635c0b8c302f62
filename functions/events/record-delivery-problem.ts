import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import * as z from 'zod';
import { logger } from '../adapters/powertools';
import { SesEmailEvent } from '../domain/delivery';
import { recordEmailEvent } from '../use-cases/delivery-problems';

/**
 * RecordDeliveryProblem: SES's "Email Bounced", "Email Rejected", "Email Complaint Received" and
 * "Email Delivery Delayed" events (published by the configuration set to EventBridge). An error
 * makes EventBridge retry the delivery (and park it in a dead-letter queue after a day).
 */
const EmailEvent = z.object({ source: z.literal('aws.ses'), detail: SesEmailEvent });

export const handler = middy(async (event: unknown) => recordEmailEvent(EmailEvent.parse(event).detail)).use(injectLambdaContext(logger, { resetKeys: true }));
