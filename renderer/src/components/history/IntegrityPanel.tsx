import type { IntegrityView } from '../../../../common/contract';
import { formatDateTime, plural } from '../../lib/format';

/** Whether the journal's hash chain holds, in words, with where it breaks when it does. */
export function IntegrityPanel({
  integrity,
  checking,
  onCheck,
}: {
  integrity: IntegrityView | undefined;
  checking: boolean;
  onCheck: () => void;
}) {
  const tone =
    integrity?.status === 'damaged' ? 'notice-error' : integrity?.status === 'intact' ? 'notice-pass' : 'notice-info';
  return (
    <section className={`notice integrity ${tone}`} aria-labelledby="integrity-title" data-testid="journal-integrity">
      <div className="integrity-text" aria-live="polite">
        <h2 id="integrity-title" className="integrity-title">
          {!integrity
            ? 'Checking the journal…'
            : integrity.status === 'intact'
              ? 'Journal intact'
              : integrity.status === 'empty'
                ? 'No journal yet'
                : 'Journal damaged'}
        </h2>
        {integrity?.status === 'intact' && (
          <p>
            {plural(integrity.records, 'record')} in {plural(integrity.files, 'file')}, every link of the hash chain
            checked{integrity.lastSeq ? ` up to record ${integrity.lastSeq}` : ''}.
          </p>
        )}
        {integrity?.status === 'empty' && <p>The journal starts with the first provisioning attempt.</p>}
        {integrity?.status === 'damaged' && integrity.firstBreak && (
          <>
            <p data-testid="integrity-break">{integrity.firstBreak.message}</p>
            <p>
              {plural(integrity.breaks, 'break')} in all; {plural(integrity.records, 'record')} verified before the
              first one. Keep the data folder for support and run <code>keyline journal verify</code>.
            </p>
          </>
        )}
        {integrity && integrity.damagedFiles.length > 0 && (
          <p>
            Damaged tails set aside as evidence: <code>{integrity.damagedFiles.join(', ')}</code>
          </p>
        )}
        {integrity && <p className="muted">Checked {formatDateTime(integrity.checkedAt)}.</p>}
      </div>
      <button type="button" className="btn" onClick={onCheck} disabled={checking}>
        {checking ? 'Checking…' : 'Check again'}
      </button>
    </section>
  );
}
