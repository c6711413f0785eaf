import type { CallState } from './useCall';

/** The platform's refusals of a lookup for lack of scope or role: information for the person, not a failure. */
const REFUSED = new Set(['PLATFORM_FORBIDDEN', 'PLATFORM_UNAUTHORIZED']);

/** "Loading…", "Not allowed for you: …" or the error of a lookup, announced; nothing once it is done. */
export function CallStatus({ result, what }: { result: CallState<unknown>; what: string }) {
  if (result.state === 'loading') {
    return (
      <p className="inspect-status" role="status">
        Loading {what}…
      </p>
    );
  }
  if (result.state === 'failed' && REFUSED.has(result.error.code)) {
    return (
      <p className="inspect-notice" role="status" data-testid="not-allowed">
        Not allowed for you to read {what}: {result.error.message}
      </p>
    );
  }
  if (result.state === 'failed') {
    return (
      <p className="inspect-error" role="alert">
        Could not load {what}: {result.error.message}
      </p>
    );
  }
  return null;
}
