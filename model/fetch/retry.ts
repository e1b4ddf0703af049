/**
 * @module fetch/retry
 * Runs a step again after transient failures (dropped connection, 5xx), with exponential
 * backoff. The step itself decides where to resume, so retrying a download is just calling it.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { isRetryable } from './errors.ts';

export interface RetryPolicy {
  /** Extra attempts after the first one. */
  retries: number;
  /** Wait before the first retry; doubled for each further one. */
  delayMs: number;
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

export async function withRetries<T>(step: () => Promise<T>, policy: RetryPolicy): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (error) {
      if (attempt > policy.retries || !isRetryable(error)) throw error;
      const delayMs = policy.delayMs * 2 ** (attempt - 1);
      policy.onRetry?.(error, attempt, delayMs);
      await sleep(delayMs);
    }
  }
}
