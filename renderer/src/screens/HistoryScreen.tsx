import { useEffect, useState } from 'react';
import type { KeylineApi } from '../../../common/contract';
import type { ErrorInfo } from '../../../common/errors';
import { HistoryFilters } from '../components/history/HistoryFilters';
import { HistoryTable } from '../components/history/HistoryTable';
import { IntegrityPanel } from '../components/history/IntegrityPanel';
import { HistoryStore, NO_FILTER, PAGE_SIZE, type HistoryFilter } from '../components/history/history-store';
import { downloadText } from '../lib/download';
import { useStore } from '../lib/store';
import '../components/history/history.css';

/** Every provisioning attempt from the journal: searchable, filterable, exportable, with the chain's health. */
export function HistoryScreen({ keyline }: { keyline: KeylineApi }) {
  const [filter, setFilter] = useState<HistoryFilter>(NO_FILTER);
  const [offset, setOffset] = useState(0);
  const [store] = useState(() => new HistoryStore(keyline));
  const history = useStore(store);
  useEffect(() => store.connect(), [store]);
  useEffect(() => store.query(filter, offset), [store, filter, offset]);
  const [exporting, setExporting] = useState<'csv' | 'jsonl'>();
  const [exportNote, setExportNote] = useState<{ ok: boolean; text: string }>();

  const changeFilter = (next: HistoryFilter) => {
    setFilter(next);
    setOffset(0);
  };

  const exportAs = (format: 'csv' | 'jsonl') => {
    setExporting(format);
    setExportNote(undefined);
    void keyline.invoke('history.export', { format }).then((result) => {
      setExporting(undefined);
      if (!result.ok) return setExportNote({ ok: false, text: messageOf(result.error) });
      const value = result.value;
      if (value.delivery === 'download') {
        downloadText(value.fileName, value.mimeType, value.text);
        setExportNote({ ok: true, text: `Downloaded ${value.fileName}.` });
      } else if (value.delivery === 'saved') {
        setExportNote({ ok: true, text: `Saved to ${value.path}.` });
      }
    });
  };

  const total = history.page?.total ?? 0;
  const last = Math.min(offset + PAGE_SIZE, total);
  return (
    <div className="history-screen">
      <p className="lead">Every provisioning attempt, from the journal: failed and interrupted ones too.</p>
      <IntegrityPanel
        integrity={history.integrity}
        checking={history.checking}
        onCheck={() => store.checkIntegrity()}
      />
      <section className="panel" aria-labelledby="attempts-title">
        <div className="section-head">
          <h2 id="attempts-title">Attempts</h2>
          <div className="toolbar">
            <button
              type="button"
              className="btn btn-primary"
              disabled={exporting !== undefined}
              onClick={() => exportAs('csv')}
            >
              {exporting === 'csv' ? 'Exporting…' : 'Export CSV'}
            </button>
            <button type="button" className="btn" disabled={exporting !== undefined} onClick={() => exportAs('jsonl')}>
              {exporting === 'jsonl' ? 'Exporting…' : 'Export JSON Lines'}
            </button>
          </div>
        </div>
        <p className={exportNote?.ok === false ? 'notice notice-error' : 'muted'} role="status" aria-live="polite">
          {exportNote?.text ?? ''}
        </p>
        <HistoryFilters filter={filter} counts={history.page?.counts} onChange={changeFilter} />
        {history.error && (
          <p className="notice notice-error" role="alert">
            {messageOf(history.error)}
          </p>
        )}
        <p className="muted" aria-live="polite" data-testid="history-count">
          {history.page
            ? total === 0
              ? 'No attempts match.'
              : `Showing ${offset + 1}–${last} of ${total.toLocaleString()} attempts${history.loading ? ' (updating…)' : ''}`
            : 'Loading the journal…'}
        </p>
        {history.page && history.page.rows.length > 0 && <HistoryTable rows={history.page.rows} />}
        <nav className="toolbar pager" aria-label="Pages of attempts">
          <button
            type="button"
            className="btn"
            disabled={offset === 0}
            onClick={() => setOffset(Math.max(0, offset - PAGE_SIZE))}
          >
            Newer
          </button>
          <button type="button" className="btn" disabled={last >= total} onClick={() => setOffset(offset + PAGE_SIZE)}>
            Older
          </button>
        </nav>
      </section>
    </div>
  );
}

function messageOf(error: ErrorInfo): string {
  return error.code === 'JOURNAL_NOT_FOUND' ? 'No journal yet: it starts with the first attempt.' : error.message;
}
