import type { ActionNotice } from './useAction';

/** The outcome of the last action, announced. "Not allowed" is information, not an error. */
export function ActionNoticeLine({ notice }: { notice: ActionNotice | undefined }) {
  return (
    <p
      className={`inspect-action-notice${notice ? ` inspect-action-${notice.kind}` : ''}`}
      role="status"
      aria-live="polite"
      data-testid="action-notice"
    >
      {notice?.text ?? ''}
    </p>
  );
}
