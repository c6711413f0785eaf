import { useCallback, useEffect, useState, type KeyboardEvent } from 'react';
import type { KeylineApi } from '../../../common/contract';
import { LaneDetailsDialog } from '../components/station/LaneDetailsDialog';
import { LaneTile } from '../components/station/LaneTile';
import { SandboxControls } from '../components/station/SandboxControls';
import { SignInPrompt } from '../components/station/SignInPrompt';
import { StationStore } from '../components/station/station-store';
import { StationToolbar } from '../components/station/StationToolbar';
import { buildTiles } from '../components/station/tiles';
import { useScanner } from '../components/station/useScanner';
import { useStore } from '../lib/store';
import '../components/station/station.css';

export type StationTarget = 'settings' | 'ports' | 'devices';

/**
 * The bench: one tile per lane, the batch controls, the session counters and the scanner. Works
 * with a keyboard alone: Tab through every control, arrow keys between tiles, Alt+S start all,
 * Alt+X stop all, Alt+R retry failed; a barcode scanner anywhere on the screen.
 */
export function StationScreen({
  keyline,
  onNavigate,
}: {
  keyline: KeylineApi;
  onNavigate: (to: StationTarget) => void;
}) {
  const [store] = useState(() => new StationStore(keyline));
  const view = useStore(store);
  const [details, setDetails] = useState<string>();
  useEffect(() => store.connect(), [store]);
  useScanner(useCallback((text: string) => void store.scan(text), [store]));

  useEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent) => {
      if (!event.altKey || event.ctrlKey || event.metaKey) return;
      const key = event.key.toLowerCase();
      if (key === 's') void store.startAll();
      else if (key === 'x') void store.stop();
      else if (key === 'r') void store.retry();
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store]);

  const station = view.station;
  const tiles = buildTiles(station?.ports ?? [], view.lanes, station?.scans ?? [], station?.laneWorkOrders ?? {});

  /** Arrow keys move between tiles (the focus lands on the tile's first button). */
  const onGridKey = (event: KeyboardEvent<HTMLUListElement>) => {
    if (!['ArrowRight', 'ArrowLeft', 'ArrowDown', 'ArrowUp'].includes(event.key)) return;
    const items = [...event.currentTarget.querySelectorAll<HTMLLIElement>(':scope > li')];
    const current = items.findIndex((item) => item.contains(document.activeElement));
    const columns = Math.max(1, Math.round(event.currentTarget.clientWidth / (items[0]?.clientWidth || 1)));
    const step =
      event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : event.key === 'ArrowDown' ? columns : -columns;
    const next = items[Math.min(items.length - 1, Math.max(0, (current === -1 ? 0 : current) + step))];
    next?.querySelector<HTMLButtonElement>('button')?.focus();
    event.preventDefault();
  };

  return (
    <div className="station-screen">
      <p className="visually-hidden" aria-live="assertive" data-testid="lane-announcement">
        {view.announcement}
      </p>
      <SignInPrompt store={store} view={view} onSettings={() => onNavigate('settings')} />
      <StationToolbar
        store={store}
        busy={view.busy}
        station={station}
        settings={view.settings}
        message={view.message}
        running={view.lanes.filter((lane) => lane.state === 'running' || lane.state === 'waiting').length}
        failed={view.lanes.filter((lane) => lane.state === 'failed').length}
      />
      <section aria-labelledby="lanes-title">
        <h2 id="lanes-title" className="visually-hidden">
          Lanes
        </h2>
        {tiles.length === 0 ? (
          <div className="panel empty-bench">
            <p>No serial port found. Plug a device in; it appears here by itself.</p>
            <button type="button" className="btn" onClick={() => onNavigate('ports')}>
              Open the port doctor
            </button>
          </div>
        ) : (
          <ul className="tiles" onKeyDown={onGridKey} data-testid="lane-tiles">
            {tiles.map((tile) => (
              <LaneTile
                key={tile.port}
                tile={tile}
                store={store}
                selected={view.selectedPort === tile.port}
                busy={view.busy}
                onDetails={setDetails}
                onNavigate={onNavigate}
              />
            ))}
          </ul>
        )}
      </section>
      {station?.sandbox && <SandboxControls keyline={keyline} />}
      {details && <LaneDetailsDialog keyline={keyline} laneId={details} onClose={() => setDetails(undefined)} />}
    </div>
  );
}
