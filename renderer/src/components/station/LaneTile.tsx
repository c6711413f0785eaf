import { memo } from 'react';
import type { LaneView } from '../../../../common/contract';
import { useNow } from '../../lib/clock';
import { formatClock, formatDuration } from '../../lib/format';
import type { StationStore } from './station-store';
import { fixFor, headline, STEP_WORDS, tileState, type Tile } from './tiles';

const ANSWER_WORDS = { rotate: 'Rotate its key', skip: 'Skip it', replace: 'Replace', stop: 'Stop' } as const;

function elapsed(lane: LaneView | undefined, now: number): number | undefined {
  if (!lane) return undefined;
  if ((lane.state === 'running' || lane.state === 'waiting') && lane.startedAt) {
    return Math.max(lane.elapsedMs ?? 0, now - Date.parse(lane.startedAt));
  }
  return lane.elapsedMs;
}

/**
 * The running time, ticking each second. Its own component, so the shared clock re-renders these
 * few characters and not every running tile whole (32 tiles a second during a batch).
 */
function RunningClock({ lane }: { lane: LaneView }) {
  const now = useNow(true);
  return formatClock(elapsed(lane, now));
}

interface LaneTileProps {
  tile: Tile;
  store: StationStore;
  selected: boolean;
  busy: boolean;
  onDetails: (laneId: string) => void;
  onNavigate: (screen: 'settings' | 'ports' | 'devices') => void;
}

/** Flat objects (a port's block, a scan) equal field by field: station.state sends fresh copies. */
function sameFields(a: object | undefined, b: object | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  const left = Object.entries(a);
  return (
    left.length === Object.keys(b).length && left.every(([key, value]) => (b as Record<string, unknown>)[key] === value)
  );
}

function sameTile(a: Tile, b: Tile): boolean {
  return (
    a.lane === b.lane &&
    a.number === b.number &&
    a.port === b.port &&
    a.label === b.label &&
    a.simulated === b.simulated &&
    a.present === b.present &&
    a.workOrder === b.workOrder &&
    sameFields(a.blocked, b.blocked) &&
    sameFields(a.scan, b.scan)
  );
}

/**
 * A tile renders again only when what it shows changed: each lane event changes one lane, and
 * re-rendering all 32 tiles for it kept the window busy half of a 32-lane batch
 * (docs/benchmarks.md, `npm run bench:window`). The lane view is replaced on each update, so its
 * identity says whether it changed.
 */
export const LaneTile = memo(
  LaneTileView,
  (a: LaneTileProps, b: LaneTileProps) =>
    a.store === b.store &&
    a.selected === b.selected &&
    a.busy === b.busy &&
    a.onDetails === b.onDetails &&
    a.onNavigate === b.onNavigate &&
    sameTile(a.tile, b.tile),
);

/**
 * One lane on the bench: its port, the device once identified, the step, a progress bar and the
 * elapsed time; a pass or a fail that reads across the room, the reason in words, and the action
 * that fixes it.
 */
function LaneTileView({ tile, store, selected, busy, onDetails, onNavigate }: LaneTileProps) {
  const lane = tile.lane;
  const state = tileState(tile);
  const running = state === 'running' || state === 'waiting';
  const progress = Math.round((lane?.progress ?? 0) * 100);
  const fix = fixFor(lane?.error?.code ?? tile.blocked?.code);
  const titleId = `tile-${tile.number}-title`;
  return (
    <li
      className={`tile tile-${state}${selected ? ' tile-selected' : ''}`}
      data-testid="lane-tile"
      data-port={tile.port}
      data-state={state}
      aria-labelledby={titleId}
      aria-current={selected ? 'true' : undefined}
      onFocus={() => store.select(tile.port)}
      onClick={() => store.select(tile.port)}
    >
      <div className="tile-head">
        <h3 id={titleId} className="tile-title">
          <span className="tile-number" aria-label={`Lane ${tile.number}`}>
            {tile.number}
          </span>
          <span className="tile-label">{tile.label}</span>
        </h3>
        <span className="tile-clock" aria-label="Elapsed time">
          {lane && state !== 'ready' ? running ? <RunningClock lane={lane} /> : formatDuration(lane.elapsedMs) : ''}
        </span>
      </div>
      <p className="tile-port mono">{tile.port}</p>
      <p className="tile-device">
        {lane?.hwid ? (
          <>
            <span className="mono" data-testid="lane-hwid">
              {lane.hwid}
            </span>
            {lane.model ? <span className="muted"> · {lane.model}</span> : null}
          </>
        ) : (
          <span className="muted">{running ? 'Asking the device…' : 'Device not identified yet'}</span>
        )}
      </p>
      <p className="tile-state" data-testid="lane-state">
        <span className="tile-mark" aria-hidden="true">
          {state === 'passed' ? '✓' : state === 'failed' ? '✗' : state === 'unresolved' ? '!' : ''}
        </span>
        {headline(tile)}
      </p>
      <div
        className="progress"
        role="progressbar"
        aria-label={`Lane ${tile.number} progress`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={progress}
        aria-valuetext={lane?.step && running ? `${progress}%, ${STEP_WORDS[lane.step]}` : `${progress}%`}
      >
        <div className="progress-bar" style={{ transform: `scaleX(${progress / 100})` }} />
      </div>
      {(state === 'failed' || state === 'unresolved' || state === 'skipped') && lane?.error && (
        <p className="tile-reason" data-testid="lane-reason">
          {lane.error.message} <code className="small">{lane.error.code}</code>
        </p>
      )}
      {state === 'blocked' && tile.blocked && <p className="tile-reason">{tile.blocked.message}</p>}
      {state === 'waiting' && lane?.question && <p className="tile-reason">{lane.question.message}</p>}
      {tile.scan && (
        <p className={`tile-scan scan-${tile.scan.check}`} data-testid="lane-scan">
          Label {tile.scan.serial}:{' '}
          {tile.scan.check === 'match'
            ? 'matches'
            : tile.scan.check === 'mismatch'
              ? 'does NOT match'
              : 'not checked yet'}
        </p>
      )}
      {tile.workOrder && <p className="tile-meta muted">Work order {tile.workOrder}</p>}
      {lane?.notes.length ? <p className="tile-meta muted">{lane.notes[lane.notes.length - 1]}</p> : null}
      <div className="tile-actions">
        {state === 'waiting' &&
          lane?.question?.choices.map((choice) => (
            <button
              key={choice}
              type="button"
              className={choice === 'rotate' ? 'btn btn-primary' : 'btn'}
              disabled={busy}
              onClick={() => void store.answer(lane.id, choice)}
            >
              {ANSWER_WORDS[choice]}
            </button>
          ))}
        {(state === 'ready' || state === 'passed' || (state === 'skipped' && !lane?.setAside)) && (
          <button type="button" className="btn" disabled={busy} onClick={() => void store.start(tile.port)}>
            {state === 'ready' ? 'Start' : 'Run again'}
            <span className="visually-hidden"> on lane {tile.number}</span>
          </button>
        )}
        {(state === 'failed' || state === 'unresolved' || (state === 'skipped' && lane?.setAside)) && lane && (
          <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void store.retry([lane.id])}>
            Retry<span className="visually-hidden"> lane {tile.number}</span>
          </button>
        )}
        {state === 'failed' && lane && (
          <button
            type="button"
            className="btn"
            disabled={busy}
            title="Set the unit aside: Retry failed passes it by"
            onClick={() => void store.skip([lane.id])}
          >
            Skip<span className="visually-hidden"> lane {tile.number} (set the unit aside)</span>
          </button>
        )}
        {running && lane && (
          <button type="button" className="btn btn-danger" onClick={() => void store.stop([lane.id])}>
            Stop<span className="visually-hidden"> lane {tile.number}</span>
          </button>
        )}
        {fix && (state === 'failed' || state === 'blocked') && (
          <button type="button" className="btn" onClick={() => onNavigate(fix.screen)}>
            {fix.label}
          </button>
        )}
        {tile.present && !running && state !== 'blocked' && (
          <button type="button" className="btn" disabled={busy} onClick={() => void store.locate(tile.port)}>
            Locate<span className="visually-hidden"> the unit of lane {tile.number}</span>
          </button>
        )}
        {lane && (
          <button type="button" className="btn" onClick={() => onDetails(lane.id)}>
            Details<span className="visually-hidden"> of lane {tile.number}</span>
          </button>
        )}
      </div>
    </li>
  );
}
