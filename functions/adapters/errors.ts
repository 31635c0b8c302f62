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

export const isTransient = (error: unknown): boolean => {
  if (!(error instanceof Error)) return false;
  const e = error as Error & { $fault?: string; $retryable?: unknown; code?: string; $metadata?: { httpStatusCode?: number } };
  return (
    e instanceof DependencyUnavailable ||
    e.$fault === 'server' ||
    Boolean(e.$retryable) ||
    (e.$metadata?.httpStatusCode ?? 0) >= 500 ||
    e.name === 'TimeoutError' ||
    NETWORK_CODES.has(e.code ?? '') ||
    (e.cause instanceof Error && isTransient(e.cause))
  );
};
