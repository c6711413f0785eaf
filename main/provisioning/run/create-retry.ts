import type { StepName } from '../../../common/contract/provisioning';
import { isCreateOutcomeUnknown, isRateLimited, retryAfterMsOf } from '../platform-errors';
import { backoff, note, stepDetail, type RunContext } from './context';

/**
 * How a create refused with 429 is tried again. A 429 is the platform saying "not now" before it
 * acted, so nothing was created and a second create cannot make a duplicate. Bounded so a lane
 * never sits behind a long rate limit: the lane fails and says how long to wait instead.
 */
export interface CreateRetryPolicy {
  maxRetries: number;
  /** The wait when the platform sent no Retry-After. */
  backoffMs: number;
  /** The most a create waits in all; a longer Retry-After is not waited for. */
  maxTotalWaitMs: number;
}

export const CREATE_RETRY: CreateRetryPolicy = { maxRetries: 2, backoffMs: 1000, maxTotalWaitMs: 5000 };

/**
 * Runs one create, and runs it again after a 429 (Retry-After honoured, within the policy). Any
 * other failure surfaces unchanged: a 5xx or a lost answer may hide a created object, and only
 * the caller can look it up (key by run name, device by hwid tag) before creating again.
 */
export async function createWithRateLimitRetry<T>(
  ctx: RunContext,
  step: StepName,
  what: string,
  create: () => Promise<T>,
  signal: AbortSignal,
  policy: CreateRetryPolicy = CREATE_RETRY,
): Promise<T> {
  let waited = 0;
  for (let retry = 0; ; retry += 1) {
    try {
      return await create();
    } catch (error) {
      if (!isRateLimited(error) || isCreateOutcomeUnknown(error) || signal.aborted) throw error;
      const waitMs = retryAfterMsOf(error) ?? policy.backoffMs;
      if (retry >= policy.maxRetries || waited + waitMs > policy.maxTotalWaitMs) throw error;
      waited += waitMs;
      note(
        ctx,
        `The platform rate-limited the ${what} (429; nothing was created); tried again after ` +
          `${(waitMs / 1000).toFixed(1)} s.`,
      );
      stepDetail(ctx, step, { rateLimitRetries: retry + 1, rateLimitWaitMs: waited });
      await backoff(ctx, waitMs, signal);
    }
  }
}
