/**
 * Reads the platform client's typed errors (`PLATFORM_*` codes, see main/platform/) without
 * depending on its classes, so the pipeline can be tested with fakes that throw the same shape.
 */
function codeOf(error: unknown): unknown {
  return (error as { code?: unknown } | undefined)?.code;
}

export function isForbidden(error: unknown): boolean {
  return codeOf(error) === 'PLATFORM_FORBIDDEN';
}

export function isNotFound(error: unknown): boolean {
  return codeOf(error) === 'PLATFORM_NOT_FOUND';
}

export function isUnauthorized(error: unknown): boolean {
  return codeOf(error) === 'PLATFORM_UNAUTHORIZED';
}

/**
 * A create call whose answer never came (timeout, dropped connection): the object may or may not
 * exist. The platform client marks these `outcomeUnknown` instead of retrying them.
 */
export function isCreateOutcomeUnknown(error: unknown): boolean {
  return (error as { outcomeUnknown?: unknown } | undefined)?.outcomeUnknown === true;
}

/** A 429: the platform refused before acting, so nothing was created. */
export function isRateLimited(error: unknown): boolean {
  return codeOf(error) === 'PLATFORM_RATE_LIMITED';
}

/** How long the platform asked to wait (its Retry-After), when it said so. */
export function retryAfterMsOf(error: unknown): number | undefined {
  const value = (error as { retryAfterMs?: unknown } | undefined)?.retryAfterMs;
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}
