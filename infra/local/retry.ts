import { setTimeout as sleep } from 'node:timers/promises';

/**
 * How the sandbox plays the retries of AWS's asynchronous deliveries (EventBridge to a target,
 * the Scheduler to a target, Lambda's own retries of an asynchronous event): `run` is tried up to
 * `attempts` times while the sandbox runs, waiting `backoffMs(n)` after the n-th failure. Answers
 * the last error when every attempt failed (for a dead-letter queue), undefined otherwise.
 */
export const retrying = async (
  attempts: number,
  backoffMs: (failures: number) => number,
  run: (attempt: number) => Promise<unknown>,
  stopped: () => boolean,
) => {
  let lastError: string | undefined;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (stopped()) return undefined;
    try {
      await run(attempt);
      return undefined;
    } catch (error) {
      lastError = (error as Error).message;
      if (attempt < attempts) await sleep(backoffMs(attempt), undefined, { ref: false });
    }
  }
  return stopped() ? undefined : lastError;
};

/** Doubling from a second, at most a minute, at the sandbox's pace. */
export const exponentialBackoff = (timeScale: number) => (failures: number) => Math.min(60_000, 1000 * 2 ** (failures - 1)) / timeScale;
