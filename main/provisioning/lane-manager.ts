import type {
  Answer,
  BatchCounters,
  LaneView,
  ProvisioningSettings,
  Question,
} from '../../common/contract/provisioning';
import { describeError, ProvisioningError } from './errors';
import { applyProgress, countLanes, finishedView, newLaneView, startedView } from './lane-view';
import type { Clock, RunRecord } from './ports';
import { newRunId } from './run-id';
import type { RunDeps, RunInput } from './run/context';
import { runLane, type RunResult } from './run/lane-run';

/** A port as discovery and hot-plug report it. */
export interface PortInfo {
  path: string;
  /** USB serial number, when the adapter has a unique one: how a lane finds its device after a reboot. */
  serialNumber?: string;
  /**
   * Stable identity of the port's lane from discovery (`usb-serial:...`, `usb-path:...`), kept when
   * the port re-enumerates under another path.
   */
  laneKey?: string;
}

/** What a lane manager tells the world (the contract events, in practice). */
export interface LaneEvents {
  laneAdded(view: LaneView): void;
  laneUpdated(view: LaneView): void;
  laneStep(step: {
    laneId: string;
    runId: string;
    step: LaneView['steps'][number]['name'];
    status: LaneView['steps'][number]['status'];
    ms?: number;
  }): void;
  laneFinished(view: LaneView): void;
  batch(counters: BatchCounters): void;
}

export interface LaneManagerDeps {
  /** Everything a run needs; read at each run start, so a refreshed session or setting applies to the next run. */
  runDeps: () => RunDeps;
  settings: () => ProvisioningSettings;
  events: LaneEvents;
  clock: Clock;
  /** Called when no person can answer (the CLI without a terminal): answer for the run, or refuse. */
  answerFor?: (question: Question, lane: LaneView) => Promise<Answer> | Answer | undefined;
  /** Runs that ended without a journal record, for reconciliation to carry their error. */
  onUnjournaled?: (record: RunRecord) => void;
}

interface Lane {
  view: LaneView;
  controller?: AbortController;
  running?: Promise<RunResult>;
  pending?: { resolve: (answer: Answer) => void; reject: (error: unknown) => void };
  lastResult?: RunResult;
  laneKey?: string;
}

/**
 * The lanes of a station: one per port, each running its own pipeline independently. A failed
 * lane never stops the others; "retry failed" starts them again; a device arriving on a watched
 * port starts a lane by itself; a device that re-enumerates under a new path after a reboot is
 * re-attached to its lane by USB serial number.
 */
export class LaneManager {
  readonly #lanes = new Map<string, Lane>();
  readonly #deps: LaneManagerDeps;
  #nextId = 1;
  #closed = false;

  constructor(deps: LaneManagerDeps) {
    this.#deps = deps;
  }

  lanes(): LaneView[] {
    return [...this.#lanes.values()].map((lane) => lane.view);
  }

  counters(): BatchCounters {
    return countLanes(this.lanes());
  }

  /** Runs in progress, by run id (reconciliation leaves those alone). */
  runningRunIds(): Set<string> {
    const ids = new Set<string>();
    for (const lane of this.#lanes.values()) if (lane.running && lane.view.runId) ids.add(lane.view.runId);
    return ids;
  }

  lastResult(laneId: string): RunResult | undefined {
    return this.#lanes.get(laneId)?.lastResult;
  }

  /** Adds a lane for each port not yet known (by path or USB serial number) and starts a run on each. */
  start(ports: Array<string | PortInfo>): LaneView[] {
    const started: LaneView[] = [];
    for (const entry of ports) {
      const port = typeof entry === 'string' ? { path: entry } : entry;
      const lane = this.#laneFor(port) ?? this.#addLane(port);
      started.push(this.#run(lane));
    }
    return started;
  }

  /** Starts again the given lanes, or every failed one. */
  retry(laneIds?: string[]): LaneView[] {
    const lanes = laneIds
      ? laneIds.map((id) => this.#lanes.get(id)).filter((lane): lane is Lane => lane !== undefined)
      : [...this.#lanes.values()].filter((lane) => lane.view.state === 'failed');
    return lanes.map((lane) => this.#run(lane));
  }

  /**
   * Sets failed units aside: the technician takes the unit off the bench, or leaves it for later,
   * so "retry failed" passes its lane by. The failed attempt stays as the journal recorded it; the
   * set-aside is journaled after it (who, when, why it failed) before the lane changes, and the
   * lane keeps its reason and its own Retry. Lanes that are not failed, or are running, are left
   * as they are.
   */
  async skip(laneIds: string[]): Promise<LaneView[]> {
    const lanes = [...new Set(laneIds)]
      .map((id) => this.#lanes.get(id))
      .filter((lane): lane is Lane => lane !== undefined && !lane.running && lane.view.state === 'failed');
    if (lanes.length === 0) return [];
    const { journal, station, operator } = this.#deps.runDeps();
    const setAside: LaneView[] = [];
    for (const lane of lanes) {
      const { view } = lane;
      if (view.runId) {
        await journal.appendReconcile({
          runId: view.runId,
          action: 'set-aside',
          reason: `Set aside by the technician after: ${view.error?.message ?? 'a failed run'}`,
          station,
          operator,
          port: view.port,
          ...(view.hwid ? { hwid: view.hwid } : {}),
          ...(view.deviceId ? { deviceId: view.deviceId } : {}),
          ...(view.error ? { error: view.error } : {}),
        });
      }
      // The lane may have been retried while the journal wrote: only the same failed run is set aside.
      if (lane.running || lane.view.state !== 'failed' || lane.view.runId !== view.runId) continue;
      lane.view = { ...lane.view, state: 'skipped', setAside: true };
      this.#deps.events.laneUpdated(lane.view);
      setAside.push(lane.view);
    }
    this.#deps.events.batch(this.counters());
    return setAside;
  }

  stop(laneIds?: string[]): number {
    let stopped = 0;
    for (const lane of this.#lanes.values()) {
      if (laneIds && !laneIds.includes(lane.view.id)) continue;
      if (lane.controller && !lane.controller.signal.aborted && lane.running) {
        lane.controller.abort(new ProvisioningError('RUN_STOPPED', 'The run was stopped by the technician'));
        stopped += 1;
      }
    }
    return stopped;
  }

  answer(laneId: string, answer: Answer): boolean {
    const lane = this.#lanes.get(laneId);
    if (!lane?.pending || !lane.view.question?.choices.includes(answer)) return false;
    lane.pending.resolve(answer);
    lane.pending = undefined;
    return true;
  }

  /** Resolves when no lane is running. */
  async idle(): Promise<void> {
    for (;;) {
      const running = [...this.#lanes.values()].map((lane) => lane.running).filter(Boolean);
      if (running.length === 0) return;
      await Promise.allSettled(running);
    }
  }

  /** Hot-plug: a port appeared. Re-attaches a lane by serial number; auto-starts on a watched port. */
  portArrived(port: PortInfo): void {
    if (this.#closed) return;
    const lane = this.#laneFor(port);
    if (lane && lane.view.port !== port.path) {
      lane.view = { ...lane.view, port: port.path };
      this.#deps.events.laneUpdated(lane.view);
    }
    const settings = this.#deps.settings();
    const watched = settings.watchedPorts.some(
      (w) => w === port.path || (port.serialNumber && w === port.serialNumber) || (port.laneKey && w === port.laneKey),
    );
    if (!settings.autoStart || !watched) return;
    if (lane?.running) return;
    this.start([port]);
  }

  /** Hot-plug: a port went away. A run on it fails on its own (its link closes); the lane stays. */
  portLeft(port: PortInfo): void {
    const lane = this.#laneFor(port);
    if (lane && !lane.running) this.#deps.events.laneUpdated(lane.view);
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.stop();
    await this.idle();
  }

  #laneFor(port: PortInfo): Lane | undefined {
    const lanes = [...this.#lanes.values()];
    if (port.laneKey && !port.laneKey.startsWith('path:')) {
      const byKey = lanes.find((lane) => lane.laneKey === port.laneKey);
      if (byKey) return byKey;
    }
    if (port.serialNumber) {
      const bySerial = lanes.filter((lane) => lane.view.usbSerialNumber === port.serialNumber);
      // Only a unique serial number identifies a unit (cheap adapters share or lack one).
      if (bySerial.length === 1) return bySerial[0];
    }
    return lanes.find((lane) => lane.view.port === port.path);
  }

  #addLane(port: PortInfo): Lane {
    const lane: Lane = {
      view: newLaneView(`lane-${this.#nextId++}`, port.path, port.serialNumber),
      ...(port.laneKey ? { laneKey: port.laneKey } : {}),
    };
    this.#lanes.set(lane.view.id, lane);
    this.#deps.events.laneAdded(lane.view);
    return lane;
  }

  #run(lane: Lane): LaneView {
    if (lane.running || this.#closed) return lane.view;
    const settings = this.#deps.settings();
    const { applicationId } = settings;
    const { clock, events } = this.#deps;
    const runId = newRunId(clock.now());
    const started = clock.monotonic();
    lane.controller = new AbortController();
    lane.view = startedView(lane.view, runId, clock.now(), settings.verifyMode);
    events.laneUpdated(lane.view);
    events.batch(this.counters());
    const update = (view: LaneView) => {
      lane.view = view;
      events.laneUpdated(view);
    };
    const input: RunInput = {
      runId,
      laneId: lane.view.id,
      portPath: () => lane.view.port,
      settings: { ...settings, applicationId: applicationId ?? '' },
      signal: lane.controller.signal,
      ask: (question, signal) => this.#ask(lane, question, signal),
      onProgress: (progress) => {
        update(applyProgress(lane.view, progress, clock.monotonic() - started));
        if (progress.type === 'step') {
          events.laneStep({
            laneId: lane.view.id,
            runId,
            step: progress.step,
            status: progress.status,
            ...(progress.ms !== undefined ? { ms: progress.ms } : {}),
          });
        }
      },
    };
    const run = applicationId ? runLane(this.#deps.runDeps(), input) : Promise.resolve(noApplication(input, clock));
    // runLane answers an outcome and never throws; should it, the lane still ends (failed).
    const settled = run.catch((error: unknown): RunResult => failedResult(input, clock, describeError(error)));
    lane.running = settled;
    void settled.then((result) => {
      lane.running = undefined;
      lane.controller = undefined;
      lane.lastResult = result;
      if (!result.journaled && result.record.keyName) this.#deps.onUnjournaled?.(result.record);
      lane.view = finishedView(lane.view, result, clock.monotonic() - started);
      events.laneUpdated(lane.view);
      events.laneFinished(lane.view);
      events.batch(this.counters());
    });
    return lane.view;
  }

  async #ask(lane: Lane, question: Question, signal: AbortSignal): Promise<Answer> {
    const automatic = await this.#deps.answerFor?.(question, lane.view);
    if (automatic) return automatic;
    return await new Promise<Answer>((resolve, reject) => {
      const onAbort = () => reject(signal.reason as Error);
      signal.addEventListener('abort', onAbort, { once: true });
      lane.pending = {
        resolve: (answer) => {
          signal.removeEventListener('abort', onAbort);
          resolve(answer);
        },
        reject,
      };
    });
  }
}

function noApplication(input: RunInput, clock: Clock): RunResult {
  return failedResult(input, clock, {
    code: 'NO_APPLICATION',
    message: 'No application is chosen: pick the application to provision into in the settings, then retry',
  });
}

function failedResult(input: RunInput, clock: Clock, error: { code: string; message: string }): RunResult {
  return {
    outcome: 'failed',
    error,
    journaled: false,
    record: {
      runId: input.runId,
      time: clock.now().toISOString(),
      station: '',
      operator: '',
      port: input.portPath(),
      outcome: 'failed',
      error,
      steps: [],
      notes: [],
    },
  };
}
