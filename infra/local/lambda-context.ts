import { randomUUID } from 'node:crypto';
import { InvokeStore, InvokeStoreBase } from '@aws/lambda-invoke-store';
import type { Context } from 'aws-lambda';

/** The Lambda context a handler sees when the sandbox invokes it in-process. */
export const lambdaContext = (functionName: string, timeoutMs = 30_000): Context => {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:eu-west-2:000000000000:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
};

/**
 * What Lambda's runtime does before it loads a handler in an environment that runs invocations
 * concurrently: says so (`AWS_LAMBDA_MAX_CONCURRENCY`) and creates the invoke store, which
 * Powertools then expects to find from the moment a handler module initialises.
 */
let store: InvokeStoreBase | undefined;

export const startConcurrentRuntime = async (maxConcurrency = 64): Promise<void> => {
  process.env.AWS_LAMBDA_MAX_CONCURRENCY = String(maxConcurrency);
  store = await InvokeStore.getInstanceAsync(true);
};

/** Which function an invocation belongs to, in its invoke context (what the sandbox's benchmark counts calls by). */
export const FUNCTION_NAME = 'sandbox.functionName';

/** The function whose invocation is running here, if any (for what the sandbox keeps per function). */
export const currentFunctionName = (): string | undefined => store?.get<string>(FUNCTION_NAME);

/** Whether the invocation running here is given the whole environment (a previous release's function: see release.ts). */
const WHOLE_ENVIRONMENT = 'sandbox.wholeEnvironment';
export const seesWholeEnvironment = (): boolean => store?.get<boolean>(WHOLE_ENVIRONMENT) === true;

/**
 * Invokes a handler as Lambda's runtime does when one environment runs invocations concurrently
 * (Lambda Managed Instances, `AWS_LAMBDA_MAX_CONCURRENCY` set): each in an invoke context of its
 * own, so what Powertools keeps per invocation (log keys, correlation id, metrics) stays with
 * it. The sandbox runs every function in one process at once, as such an environment does.
 */
export const invoke = async <E, R>(
  handler: (event: E, context: Context) => Promise<R>,
  event: E,
  functionName: string,
  { wholeEnvironment = false }: { wholeEnvironment?: boolean } = {},
): Promise<R> => {
  const context = lambdaContext(functionName);
  const store = await InvokeStore.getInstanceAsync(true);
  return store.run(
    { [InvokeStoreBase.PROTECTED_KEYS.REQUEST_ID]: context.awsRequestId, [FUNCTION_NAME]: functionName, [WHOLE_ENVIRONMENT]: wholeEnvironment },
    () => handler(event, context),
  );
};
