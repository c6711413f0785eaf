import type { InspectAction } from '../../../../common/contract';

/**
 * Deactivate or reactivate (by status) and delete, each named after its item for screen readers.
 * Not rendered at all when the session may not manage this kind of item (read-only mode).
 */
export function ActionButtons({
  allowed,
  status,
  what,
  onAction,
}: {
  allowed: boolean;
  status: 'active' | 'inactive';
  what: string;
  onAction: (action: InspectAction) => void;
}) {
  if (!allowed) return null;
  return (
    <span className="inspect-row-actions">
      {status === 'active' ? (
        <button
          type="button"
          className="button button-small"
          aria-label={`Deactivate ${what}`}
          onClick={() => onAction('deactivate')}
        >
          Deactivate
        </button>
      ) : (
        <button
          type="button"
          className="button button-small"
          aria-label={`Reactivate ${what}`}
          onClick={() => onAction('reactivate')}
        >
          Reactivate
        </button>
      )}
      <button
        type="button"
        className="button button-small button-danger"
        aria-label={`Delete ${what}`}
        onClick={() => onAction('delete')}
      >
        Delete
      </button>
    </span>
  );
}
