import type { DeviceTestResult } from '../ports';

/**
 * Which failed device tests are worth one more try. The device's own calls to the platform can
 * fail because the platform (or the network in between) was momentarily unavailable: a 5xx, a 429,
 * no answer in time, a connection cut. Those say nothing about the new credentials, and a second
 * test a moment later usually passes. A refusal (401/403) is an answer about the credentials and
 * is never retried; nor is a device without network, a wrong clock or a name that does not resolve.
 */
export interface TransientTestFailure {
  /** Which of the device's calls failed. */
  step: 'auth' | 'state';
  /** The HTTP status, or the device's code when no answer came (TIMEOUT, CONNECT). */
  cause: string;
}

/** Device step codes that mean "no answer this time", not "no network here". */
const MOMENTARY = new Set(['TIMEOUT', 'CONNECT']);

function statusIsMomentary(status: number): boolean {
  return status === 429 || status >= 500;
}

export function transientTestFailure(result: DeviceTestResult): TransientTestFailure | undefined {
  if (result.ok || result.failure === 'clock') return undefined;
  const { authStatus, reportStatus, detail } = result;
  if (authStatus === undefined || authStatus !== 200) {
    if (authStatus !== undefined)
      return statusIsMomentary(authStatus) ? { step: 'auth', cause: `HTTP ${authStatus}` } : undefined;
    return result.failure === 'network' && MOMENTARY.has(detail ?? '') ? { step: 'auth', cause: detail! } : undefined;
  }
  if (reportStatus !== undefined) {
    return statusIsMomentary(reportStatus) ? { step: 'state', cause: `HTTP ${reportStatus}` } : undefined;
  }
  return result.failure === 'network' && MOMENTARY.has(detail ?? '') ? { step: 'state', cause: detail! } : undefined;
}

export interface VerifyRetryPolicy {
  /** The wait when the platform gave no Retry-After. */
  backoffMs: number;
  /** A longer Retry-After is not waited for: the lane fails and says how long to wait. */
  maxWaitMs: number;
}

export const VERIFY_RETRY: VerifyRetryPolicy = { backoffMs: 1000, maxWaitMs: 5000 };

/** How long to wait before the second test, or undefined when the platform asked for longer than we wait. */
export function verifyRetryWaitMs(
  result: DeviceTestResult,
  policy: VerifyRetryPolicy = VERIFY_RETRY,
): number | undefined {
  if (result.retryAfterMs === undefined) return policy.backoffMs;
  if (result.retryAfterMs > policy.maxWaitMs) return undefined;
  return Math.max(result.retryAfterMs, 100);
}
