import { memo, useState, type FormEvent } from 'react';
import type { StationStore, StationView } from './station-store';

interface StationToolbarProps {
  store: StationStore;
  busy: boolean;
  station: StationView['station'];
  settings: StationView['settings'];
  message: StationView['message'];
  /** Lanes running or waiting, and failed: counted by the screen so lane updates that keep them leave this be. */
  running: number;
  failed: number;
}

/**
 * The batch controls (Start all, Stop all, Retry failed), the session counters, the work order
 * and a field for scanning or typing a work order or serial number by hand. Memoised on what it
 * shows: the lanes change every frame of a batch, the counts only when a lane starts or ends.
 */
export const StationToolbar = memo(function StationToolbar({
  store,
  busy,
  station,
  settings,
  message,
  running,
  failed,
}: StationToolbarProps) {
  const [typed, setTyped] = useState('');
  const session = station?.session;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!typed.trim()) return;
    void store.scan(typed.trim());
    setTyped('');
  };
  return (
    <section className="panel station-controls" aria-label="Batch">
      <div className="toolbar batch-buttons">
        <button
          type="button"
          className="btn btn-primary btn-big"
          disabled={busy}
          aria-keyshortcuts="Alt+S"
          onClick={() => void store.startAll()}
        >
          Start all
        </button>
        <button
          type="button"
          className="btn btn-big"
          disabled={running === 0}
          aria-keyshortcuts="Alt+X"
          onClick={() => void store.stop()}
        >
          Stop all
        </button>
        <button
          type="button"
          className="btn btn-big"
          disabled={failed === 0 || busy}
          aria-keyshortcuts="Alt+R"
          onClick={() => void store.retry()}
        >
          Retry failed{failed ? ` (${failed})` : ''}
        </button>
        <label className="check">
          <input
            type="checkbox"
            checked={settings?.autoStart ?? false}
            disabled={!settings}
            onChange={(event) => void store.setAutoStart(event.target.checked)}
          />
          Auto-start on plug-in
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={station?.prefs.sounds ?? true}
            disabled={!station}
            onChange={(event) => void store.setSounds(event.target.checked)}
          />
          Sounds
        </label>
      </div>
      <div className="counters">
        <dl className="counters" data-testid="session-counters">
          <div className="counter counter-passed">
            <dt>Passed</dt>
            <dd data-testid="count-passed">{session?.passed ?? 0}</dd>
          </div>
          <div className="counter counter-failed">
            <dt>Failed</dt>
            <dd data-testid="count-failed">{session?.failed ?? 0}</dd>
          </div>
          <div className="counter">
            <dt>Per hour</dt>
            <dd data-testid="count-per-hour">{session?.perHour ?? 0}</dd>
          </div>
          <div className="counter">
            <dt>Running</dt>
            <dd>{running}</dd>
          </div>
        </dl>
        <button type="button" className="btn btn-small" onClick={() => void store.resetCounters()}>
          Reset counters
        </button>
      </div>
      <div className="toolbar scan-row">
        <p className="work-order" data-testid="work-order">
          Work order: <strong>{station?.workOrder ?? 'none'}</strong>
          {station?.workOrder && (
            <button type="button" className="btn btn-small" onClick={() => void store.clearWorkOrder()}>
              Clear
            </button>
          )}
        </p>
        <form className="toolbar scan-form" onSubmit={submit}>
          <label className="field">
            Scan or type a work order or serial number
            <input
              value={typed}
              onChange={(event) => setTyped(event.target.value)}
              placeholder={`${station?.prefs.workOrderPrefix ?? 'WO'}-1234, or a serial number`}
              autoComplete="off"
            />
          </label>
          <button type="submit" className="btn" disabled={!typed.trim()}>
            Enter
          </button>
        </form>
      </div>
      <p
        className={`notice ${message?.tone === 'error' ? 'notice-error' : 'notice-info'}`}
        role="status"
        data-testid="station-message"
      >
        {message?.text ?? ''}
      </p>
    </section>
  );
});
