import type { CallState } from './useCall';

/** "Loading…" or the error of a lookup, announced; nothing once it is done. */
export function CallStatus({ result, what }: { result: CallState<unknown>; what: string }) {
  if (result.state === 'loading') {
    return (
      <p className="inspect-status" role="status">
        Loading {what}…
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
