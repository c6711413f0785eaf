import { useEffect, useRef } from 'react';
import type { ActionStage } from './useAction';

/**
 * The confirmation before a change: what stops working and for whom, in main's words. When the
 * session may not do it, it says so with the reason and offers no button to try.
 */
export function ConfirmAction({
  stage,
  onConfirm,
  onCancel,
}: {
  stage: ActionStage;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const cancel = useRef<HTMLButtonElement>(null);
  const open = stage.stage === 'confirming' || stage.stage === 'running';
  useEffect(() => {
    if (open) cancel.current?.focus();
  }, [open]);
  if (stage.stage === 'previewing') {
    return (
      <p className="inspect-status" role="status">
        Working out what this would change…
      </p>
    );
  }
  if (!open) return null;
  const { preview } = stage;
  return (
    <div
      className={`inspect-confirm${preview.irreversible ? ' inspect-confirm-danger' : ''}`}
      role="alertdialog"
      aria-modal="false"
      aria-labelledby="inspect-confirm-title"
      aria-describedby="inspect-confirm-consequence"
      onKeyDown={(event) => event.key === 'Escape' && onCancel()}
    >
      <h3 id="inspect-confirm-title">{preview.title}?</h3>
      <p id="inspect-confirm-consequence" data-testid="confirm-consequence">
        {preview.consequence}
      </p>
      {preview.details.length > 0 && (
        <ul>
          {preview.details.map((detail) => (
            <li key={detail}>{detail}</li>
          ))}
        </ul>
      )}
      {!preview.allowed && (
        <p className="inspect-not-allowed" data-testid="confirm-not-allowed">
          Not allowed for you: {preview.notAllowedReason}
        </p>
      )}
      <div className="token-actions">
        {preview.allowed && (
          <button
            type="button"
            className={`button ${preview.irreversible ? 'button-danger' : 'button-primary'}`}
            onClick={onConfirm}
            disabled={stage.stage === 'running'}
          >
            {preview.confirmLabel}
          </button>
        )}
        <button type="button" className="button" ref={cancel} onClick={onCancel}>
          {preview.allowed ? 'Cancel' : 'Close'}
        </button>
      </div>
    </div>
  );
}
