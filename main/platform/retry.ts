/** How reads and idempotent calls are retried. Creates are never retried, whatever this says. */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** Ceiling of the first backoff; it doubles per retry up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited for: the error surfaces with `retryAfterMs`. */
  maxRetryAfterMs: number;
  /** Source of jitter in [0, 1); injectable for tests. */
  random: () => number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 250,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 30_000,
  random: Math.random,
};

/**
 * Delay before retry number `retry` (1 for the first retry): "equal jitter", half fixed and half
 * random, so that lanes that failed together do not come back together, yet never retry at once.
 * A Retry-After from the platform is a floor.
 */
export function backoffDelay(policy: RetryPolicy, retry: number, retryAfterMs?: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  const jittered = Math.round(ceiling / 2 + policy.random() * (ceiling / 2));
  return Math.max(jittered, retryAfterMs ?? 0);
}

/** Parses Retry-After (delta-seconds or an HTTP date) into milliseconds from `now`. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
