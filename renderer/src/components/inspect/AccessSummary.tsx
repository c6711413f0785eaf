import { useId, useState, type FormEvent } from 'react';
import type { InspectAccess } from '../../../../common/contract';

/**
 * Who the lookups run as, on which platform and application, and whether this session is
 * read-only (and why). The application can be changed for the lookups below.
 */
export function AccessSummary({
  access,
  applicationId,
  onApplication,
}: {
  access: InspectAccess;
  applicationId: string | undefined;
  onApplication: (id: string | undefined) => void;
}) {
  const id = useId();
  const [text, setText] = useState(applicationId ?? '');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApplication(text.trim() || undefined);
  };
  if (access.problem) {
    return (
      <p className="inspect-notice" role="status" data-testid="inspect-access">
        {access.problem.message}
      </p>
    );
  }
  return (
    <div className="inspect-access" data-testid="inspect-access">
      <p>
        Looking up as <strong>{access.who}</strong> on {access.apiUrl}
        {access.role && <> (role: {access.role})</>}.{' '}
        {access.readOnly && (
          <span className="badge badge-read-only" data-testid="read-only">
            Read-only
          </span>
        )}
      </p>
      {access.notes.length > 0 && (
        <details className="inspect-notes">
          <summary>{access.readOnly ? 'Why read-only' : 'What is hidden, and why'}</summary>
          <ul>
            {access.notes.map((note) => (
              <li key={note}>{note}</li>
            ))}
          </ul>
        </details>
      )}
      <form className="inspect-inline-form" onSubmit={submit}>
        <label htmlFor={`${id}-app`}>Application to look in</label>
        <input
          id={`${id}-app`}
          className="inspect-input"
          value={text}
          placeholder={access.application?.id ?? '24-hex application id'}
          onChange={(event) => setText(event.target.value)}
          spellCheck={false}
          autoComplete="off"
        />
        <button type="submit" className="button">
          Use application
        </button>
        {access.application && (
          <span className="hint">
            Now: {access.application.name ? `${access.application.name} ` : ''}({access.application.id})
          </span>
        )}
      </form>
    </div>
  );
}
