import type { LaneView } from '../../common/contract/provisioning';
import type { RunRecord } from '../provisioning';

/** The `--json` line of one device (one per lane run, printed when it ends). */
export interface DeviceLine {
  port: string;
  hwid: string | null;
  deviceId: string | null;
  keyId: string | null;
  outcome: 'passed' | 'failed' | 'skipped';
  /** True when the device may run on the new key but could not be asked: the key stays active. */
  unresolved?: true;
  error?: { code: string; message: string };
  ms: number;
  runId: string | null;
  model?: string;
  firmware?: string;
  deviceName?: string;
  verify?: 'device' | 'station';
  devicePathProven?: boolean;
  rotation?: boolean;
  stationMs?: number;
  deviceMs?: number;
  platformMs?: number;
  notes?: string[];
}

export function deviceLine(view: LaneView, record: RunRecord | undefined): DeviceLine {
  const outcome = view.state === 'passed' || view.state === 'skipped' ? view.state : 'failed';
  const line: DeviceLine = {
    port: view.port,
    hwid: view.hwid ?? null,
    deviceId: view.deviceId ?? null,
    keyId: view.keyId ?? null,
    outcome,
    ...(view.state === 'unresolved' ? { unresolved: true as const } : {}),
    ...(view.error && view.state !== 'passed' ? { error: view.error } : {}),
    ms: Math.round(record?.timing?.totalMs ?? view.elapsedMs ?? 0),
    runId: view.runId ?? null,
    ...(view.model ? { model: view.model } : {}),
    ...(view.firmware ? { firmware: view.firmware } : {}),
    ...(view.deviceName ? { deviceName: view.deviceName } : {}),
    ...(view.verifyMode ? { verify: view.verifyMode } : {}),
    ...(record?.devicePathProven !== undefined ? { devicePathProven: record.devicePathProven } : {}),
    ...(view.rotation ? { rotation: true } : {}),
    ...(record?.timing
      ? { stationMs: record.timing.stationMs, deviceMs: record.timing.deviceMs, platformMs: record.timing.platformMs }
      : {}),
    ...(view.notes.length > 0 ? { notes: view.notes } : {}),
  };
  if (outcome === 'failed' && !line.error)
    line.error = { code: 'INTERNAL', message: 'The run failed without a reason' };
  return line;
}

const BAR_WIDTH = 20;

function bar(progress: number): string {
  const filled = Math.round(progress * BAR_WIDTH);
  return `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}]`;
}

function seconds(ms: number | undefined): string {
  return `${((ms ?? 0) / 1000).toFixed(1)}s`;
}

const STATE_LABEL: Record<LaneView['state'], string> = {
  idle: 'idle',
  running: '',
  waiting: 'waiting for an answer',
  passed: 'PASSED',
  failed: 'FAILED',
  skipped: 'skipped',
  unresolved: 'UNRESOLVED',
};

/** One terminal line per lane: port, hwid, a progress bar, the step or the result. */
export function laneLine(view: LaneView, portWidth: number): string {
  const status =
    view.state === 'running'
      ? (view.step ?? 'starting')
      : `${STATE_LABEL[view.state]}${view.error ? ` ${view.error.code}` : ''}`;
  return `${view.port.padEnd(portWidth)}  ${(view.hwid ?? '').padEnd(16).slice(0, 16)}  ${bar(view.progress)} ${status.padEnd(12)} ${seconds(view.elapsedMs)}`;
}

/** The human line printed when a lane ends (plain output and after the bars). */
export function finishedLine(view: LaneView): string {
  const who = [
    view.hwid,
    view.deviceId ? `device ${view.deviceId}` : undefined,
    view.keyId ? `key ${view.keyId}` : undefined,
  ]
    .filter(Boolean)
    .join(', ');
  const head = `${STATE_LABEL[view.state].toUpperCase()} ${view.port}${who ? ` (${who})` : ''} in ${seconds(view.elapsedMs)}`;
  const why = view.error && view.state !== 'passed' ? `\n    ${view.error.code}: ${view.error.message}` : '';
  const notes = view.notes.map((note) => `\n    note: ${note}`).join('');
  return `${head}${why}${notes}`;
}

/**
 * Progress bars on a terminal: redraws the block of lane lines in place (ANSI cursor up + clear),
 * at most every `intervalMs`. Everything else the command prints goes through `print`, which
 * clears the block first so lines do not interleave.
 */
export class ProgressBars {
  #lines = 0;
  #timer: NodeJS.Timeout | undefined;
  #paused = false;

  constructor(
    private readonly write: (text: string) => void,
    private readonly lanes: () => LaneView[],
    private readonly intervalMs = 100,
  ) {}

  start(): void {
    this.#timer = setInterval(() => this.draw(), this.intervalMs);
    this.#timer.unref();
  }

  draw(): void {
    if (this.#paused) return;
    const views = this.lanes();
    const width = Math.max(8, ...views.map((view) => view.port.length));
    const text = views.map((view) => laneLine(view, width)).join('\n');
    this.#clear();
    if (views.length > 0) this.write(`${text}\n`);
    this.#lines = views.length;
  }

  print(text: string): void {
    this.#clear();
    this.write(text.endsWith('\n') ? text : `${text}\n`);
    this.draw();
  }

  pause(): void {
    this.#paused = true;
    this.#clear();
  }

  resume(): void {
    this.#paused = false;
    this.draw();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    this.draw();
  }

  #clear(): void {
    if (this.#lines > 0) this.write(`\u001b[${this.#lines}A\u001b[0J`);
    this.#lines = 0;
  }
}
