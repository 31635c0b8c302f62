import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { z } from 'zod';
import { DependencyUnavailable, isTransient } from '../adapters/errors';
import { logger } from '../adapters/powertools';

/**
 * A Lambda the SscTriageWorkflow invokes. Its input is validated: a malformed payload is a
 * bug in the state machine definition, and fails loudly rather than half-working. A passing
 * fault in a dependency is raised as DependencyUnavailable, which the workflow retries. The
 * handler carries its input's schema (`input`): the payloads a previous release's definition
 * passes are checked against it (test/unit/release-contract.test.ts).
 */
export const workflowTask = <S extends z.ZodType, R>(schema: S, fn: (input: z.infer<S>, context: Context) => Promise<R>) =>
  withInput(
    schema,
    middy(async (event: unknown, context: Context) => {
      try {
        const input = schema.parse(event);
        // Every log line of a workflow task carries the case it works on.
        if (typeof (input as { reference?: unknown }).reference === 'string') logger.appendKeys({ reference: (input as { reference: string }).reference });
        const output = await fn(input, context);
        logger.debug('task done', { task: context.functionName });
        return output;
      } catch (error) {
        if (isTransient(error) && !(error instanceof DependencyUnavailable)) throw new DependencyUnavailable(error);
        throw error;
      }
    }).use(injectLambdaContext(logger, { resetKeys: true })),
  );

/** A handler with the schema of the input it takes from outside (a workflow task's payload, a schedule's input). */
export const withInput = <S extends z.ZodType, H extends object>(input: S, handler: H): H & { input: S } => Object.assign(handler, { input });
