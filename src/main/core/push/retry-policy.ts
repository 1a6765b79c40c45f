// When to try a delivery again: transient failures (5xx, resets, timeouts) with exponential back-off and
// jitter, throttling after the service's Retry-After (capped); everything else is final.
import type { Classification } from './classify.ts';

export interface RetryPolicy {
  maxAttempts: number;
  retryBaseMs: number;
  retryAfterCapMs: number;
}

/** Longest back-off between two attempts when the service gives no Retry-After. */
const MAX_BACKOFF_MS = 5 * 60_000;

export function isRetryable(classification: Classification): boolean {
  return classification.outcome === 'transient' || classification.outcome === 'throttled';
}

/**
 * The delay before the next attempt, or null to give up. `attempts` counts the attempts made so far;
 * `random` is in [0, 1) (injected for tests).
 */
export function retryDelay(
  classification: Classification,
  attempts: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number | null {
  if (!isRetryable(classification) || attempts >= policy.maxAttempts) return null;
  if (classification.retryAfterMs !== null) {
    return Math.min(classification.retryAfterMs, policy.retryAfterCapMs);
  }
  const exponential = Math.min(MAX_BACKOFF_MS, policy.retryBaseMs * 2 ** (attempts - 1));
  // Full jitter around the exponential step: 50–150 %, so retries of one burst do not land together.
  return Math.round(exponential * (0.5 + random()));
}
