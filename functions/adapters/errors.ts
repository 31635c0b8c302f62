import { isServerError, isThrottlingError, isTransientError } from '@smithy/service-error-classification';

/**
 * A passing fault in a dependency (throttling, a 5xx, a dropped connection): worth retrying
 * later. Its name is what the SscTriageWorkflow's Retry fields match, and the API answers it
 * with 503 and Retry-After.
 */
export class DependencyUnavailable extends Error {
  constructor(cause: unknown) {
    super(cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause), { cause });
    this.name = 'DependencyUnavailable';
  }
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND']);

/** The AWS SDK's own classification of retryable errors, plus connection failures and wrapped causes. */
export const isTransient = (error: unknown): boolean => {
  if (!(error instanceof Error)) return false;
  const e = error as Error & { code?: string; $metadata?: object };
  const sdkError = { ...e, name: e.name, message: e.message, $metadata: e.$metadata ?? {} } as Parameters<typeof isThrottlingError>[0];
  return (
    e instanceof DependencyUnavailable ||
    isThrottlingError(sdkError) ||
    isTransientError(sdkError) ||
    isServerError(sdkError) ||
    NETWORK_CODES.has(e.code ?? '') ||
    (e.cause instanceof Error && isTransient(e.cause))
  );
};
