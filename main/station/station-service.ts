import type { LaneView } from '../../common/contract/provisioning';
import type {
  LaneDetails,
  LaneScan,
  ScanResult,
  SessionCounters,
  StationPort,
  StationPrefs,
  StationState,
} from '../../common/contract/station';
import { SANDBOX_PROFILE_ID, type AuthService } from '../auth';
import type { EventHub } from '../host/event-hub';
import type { Logger } from '../host/logger';
import { portInfo, type LaneEvents, type PortInfo, type ProvisioningService } from '../provisioning';
import type { DeviceLogLine } from '../serial';
import { withDevice, type DeviceOpener } from './device-opener';
import { StationError } from './errors';
import type { PlatformAccess } from './platform-access';
import { listStationPorts, portLabel, type PortListOptions, type StationPortInfo } from './ports/port-list';
import type { PrefsStore } from './prefs-store';
import type { SandboxHandle } from './sandbox-handle';
import { SessionTally } from './session-counters';

export interface StationServiceOptions {
  hub: EventHub;
  prefs: PrefsStore;
  auth: AuthService;
  opener: DeviceOpener;
  platform: () => Promise<PlatformAccess>;
  logger: Logger;
  sandbox?: SandboxHandle;
  now?: () => number;
  /** How often ports are listed (hot-plug); default 1500 ms. 0: never by itself (tests call refreshPorts). */
  pollMs?: number;
  discover?: PortListOptions['discover'];
}

const LOG_LINES = 300;
const LOCATE_SECONDS = 10;

/**
 * The Station screen's side in main: the ports a lane may use (listed every 1.5 s, which is also
 * the hot-plug that auto-start and re-attach hear about), the session counters, the work order
 * and the serial numbers scanned for ports, Locate, lane details, the pass/fail notifications,
 * and the rotation the technician confirmed. Lanes themselves are the pipeline's.
 */
export class StationService {
  readonly #options: StationServiceOptions;
  readonly #tally: SessionTally;
  #service: ProvisioningService | undefined;
  #ports: StationPortInfo[] = [];
  #portView: StationPort[] = [];
  #workOrder: string | null = null;
  readonly #runWorkOrders = new Map<string, string>();
  readonly #laneWorkOrders = new Map<string, string>();
  readonly #scans = new Map<string, LaneScan>();
  readonly #logs = new Map<string, string[]>();
  readonly #seenRuns = new Set<string>();
  readonly #autoRotate = new Set<string>();
  #timer: ReturnType<typeof setInterval> | undefined;
  #polling: Promise<void> | undefined;
  #lastEmitted = '';
  #listedOnce = false;
  #closed = false;
  readonly #offHub: () => void;

  constructor(options: StationServiceOptions) {
    this.#options = options;
    this.#tally = new SessionTally(options.now ?? Date.now);
    this.#offHub = options.hub.subscribe((event) => {
      if (event === 'auth.session.changed') {
        this.#portView = this.#viewPorts(this.#ports);
        this.#emit();
      }
    });
  }

  /** The pipeline, once built (it needs this service's lane events first). */
  attach(service: ProvisioningService): void {
    this.#service = service;
  }

  async start(): Promise<void> {
    await this.#options.prefs.get().catch((error: unknown) => {
      this.#options.logger.warn({ err: error }, 'station preferences unreadable; using the defaults');
    });
    await this.refreshPorts().catch(() => undefined);
    const pollMs = this.#options.pollMs ?? 1500;
    if (pollMs > 0) this.#timer = setInterval(() => void this.refreshPorts().catch(() => undefined), pollMs);
  }

  /** Lane events the pipeline sends: to the window (the hub) and to this service, which never stops a run. */
  laneEvents(forward: LaneEvents): LaneEvents {
    const safely = (work: () => void) => {
      try {
        work();
      } catch (error) {
        this.#options.logger.error({ err: error }, 'the Station screen could not follow a lane event');
      }
    };
    return {
      laneAdded: (view) => forward.laneAdded(view),
      laneUpdated: (view) => {
        forward.laneUpdated(view);
        safely(() => this.#laneUpdated(view));
      },
      laneStep: (step) => forward.laneStep(step),
      laneFinished: (view) => {
        forward.laneFinished(view);
        safely(() => this.#laneFinished(view));
      },
      batch: (counters) => forward.batch(counters),
    };
  }

  /** Device log lines (already redacted by the serial client), kept per port for lane details. */
  deviceLog(line: DeviceLogLine): void {
    const lines = this.#logs.get(line.port) ?? [];
    lines.push(`${line.time.slice(11, 23)} ${line.text}`);
    if (lines.length > LOG_LINES) lines.splice(0, lines.length - LOG_LINES);
    this.#logs.set(line.port, lines);
  }

  /** The sandbox profile is the active one (even in platform mode, until another profile is chosen). */
  sandboxActive(): boolean {
    return this.#options.auth.state().profileId === SANDBOX_PROFILE_ID;
  }

  isSimulated(path: string): boolean {
    return this.#options.sandbox?.simulatedPorts().includes(path) ?? false;
  }

  expectedSerial(path: string): string | undefined {
    return this.#scans.get(path)?.serial;
  }

  workOrderOf(runId: string): string | undefined {
    return this.#runWorkOrders.get(runId);
  }

  state(): StationState {
    const auth = this.#options.auth.state();
    const prefs = this.#options.prefs.current();
    return {
      sandbox: this.#options.sandbox !== undefined,
      profile: {
        id: auth.profileId,
        name: auth.profileId === SANDBOX_PROFILE_ID ? 'Sandbox' : auth.profileId,
        sandbox: auth.profileId === SANDBOX_PROFILE_ID,
      },
      ports: this.#portView,
      session: this.#tally.view(),
      workOrder: this.#workOrder,
      laneWorkOrders: Object.fromEntries(this.#laneWorkOrders),
      scans: [...this.#scans.values()],
      prefs,
    };
  }

  async refreshPorts(): Promise<void> {
    if (this.#closed) return;
    this.#polling ??= this.#listPorts().finally(() => {
      this.#polling = undefined;
    });
    return this.#polling;
  }

  /** Starts a lane on each given port, or on every port a lane may use; blocked ports are said, not started. */
  async startAll(
    ports?: string[],
  ): Promise<{ lanes: LaneView[]; skipped: Array<{ port: string; code: string; message: string }> }> {
    const service = this.#requireService();
    await this.refreshPorts();
    const known = new Map(this.#ports.map((port) => [port.path, port]));
    const wanted = ports ?? this.#portView.map((port) => port.path);
    const skipped: Array<{ port: string; code: string; message: string }> = [];
    const start: Array<PortInfo> = [];
    for (const path of wanted) {
      const blocked = this.#portView.find((port) => port.path === path)?.blocked;
      if (blocked && ports === undefined) {
        skipped.push({ port: path, ...blocked });
        continue;
      }
      const info = known.get(path);
      start.push(
        info
          ? { path, laneKey: info.laneKey, ...(info.serialNumber ? { serialNumber: info.serialNumber } : {}) }
          : { path },
      );
    }
    const lanes = start.length > 0 ? await service.start(start) : [];
    return { lanes, skipped };
  }

  /** Blinks the unit on a port so a person finds it; between runs only (a run owns its port). */
  async locate(port: string): Promise<{ seconds: number }> {
    const lane = this.#requireService()
      .lanes()
      .find((view) => view.port === port);
    if (lane && (lane.state === 'running' || lane.state === 'waiting')) {
      throw new StationError('PORT_BUSY_WITH_LANE', `The lane on ${port} is running: Locate works between runs.`);
    }
    await withDevice(
      this.#options.opener,
      port,
      (device) => device.client.identify(LOCATE_SECONDS, { signal: AbortSignal.timeout(5000) }),
      AbortSignal.timeout(5000),
    );
    return { seconds: LOCATE_SECONDS };
  }

  scan(text: string, port?: string): ScanResult {
    const value = text.trim();
    const prefix = this.#options.prefs.current().workOrderPrefix.toLowerCase();
    if (value.toLowerCase().startsWith(prefix)) {
      this.#workOrder = value;
      this.#emit();
      return {
        kind: 'work-order',
        value,
        message: `Work order ${value}: stamped on every lane started from now on.`,
      };
    }
    const target = port ?? this.#nextPortForLabel();
    if (!target) {
      return {
        kind: 'serial',
        value,
        message: `Serial number ${value} scanned, but no port is waiting for a label: select a lane first, then scan.`,
      };
    }
    const lane = this.#service?.lanes().find((view) => view.port === target);
    const scan: LaneScan = { port: target, serial: value, check: 'pending' };
    this.#scans.set(target, scan);
    const message = this.#checkScan(lane);
    this.#emit();
    return { kind: 'serial', value, port: target, message };
  }

  clearWorkOrder(): boolean {
    const had = this.#workOrder !== null;
    this.#workOrder = null;
    this.#emit();
    return had;
  }

  resetCounters(): SessionCounters {
    const view = this.#tally.reset();
    this.#emit();
    return view;
  }

  async getPrefs(): Promise<StationPrefs> {
    return this.#options.prefs.get();
  }

  async setPrefs(patch: Partial<StationPrefs>): Promise<StationPrefs> {
    const next = await this.#options.prefs.update(patch);
    await this.refreshPorts().catch(() => undefined);
    this.#emit(true);
    return next;
  }

  /** Rotation the technician confirmed: the lane's "already provisioned" question is answered "rotate". */
  async rotate(port: string): Promise<LaneView> {
    const service = this.#requireService();
    const settings = await service.getSettings();
    if (settings.ifProvisioned === 'skip') {
      throw new StationError(
        'ROTATION_POLICY_SKIP',
        'The "already provisioned" policy is Skip, so a rotation would be skipped: set it to Ask or Rotate in Settings first',
      );
    }
    const [lane] = (await this.startAll([port])).lanes;
    if (!lane) throw new StationError('LANE_NOT_FOUND', `No lane could start on ${port}`);
    this.#autoRotate.add(lane.id);
    const current = service.lanes().find((view) => view.id === lane.id);
    if (current?.question?.kind === 'already-provisioned') this.#answerRotate(lane.id);
    return current ?? lane;
  }

  async laneDetails(laneId: string): Promise<LaneDetails> {
    const service = this.#requireService();
    const lane = service.lanes().find((view) => view.id === laneId);
    if (!lane) throw new StationError('LANE_NOT_FOUND', `There is no lane ${laneId} (any more)`);
    const record = service.lastRecord(laneId);
    const details: LaneDetails = {
      lane,
      ...(this.#laneWorkOrders.get(laneId) ? { workOrder: this.#laneWorkOrders.get(laneId) } : {}),
      ...(this.#scans.get(lane.port) ? { scan: this.#scans.get(lane.port) } : {}),
      log: (this.#logs.get(lane.port) ?? []).slice(-200),
    };
    if (record) {
      details.record = {
        runId: record.runId,
        outcome: record.outcome,
        time: record.time,
        operator: record.operator,
        ...(record.applicationId ? { applicationId: record.applicationId } : {}),
        ...(record.keyName ? { keyName: record.keyName } : {}),
        ...(record.newKey ? { newKey: record.newKey } : {}),
        ...(record.devicePathProven !== undefined ? { devicePathProven: record.devicePathProven } : {}),
        ...(record.timing ? { timing: record.timing } : {}),
        notes: record.notes.slice(0, 50),
      };
    }
    if (lane.deviceId) {
      try {
        const access = await this.#options.platform();
        const device = await access.client.devices.get(access.applicationId, lane.deviceId, {
          signal: AbortSignal.timeout(10_000),
        });
        details.platformDevice = {
          id: device.id,
          name: device.name,
          deviceClass: device.deviceClass,
          tags: device.tags.slice(0, 100).map((tag) => ({ key: tag.key, value: tag.value })),
        };
      } catch (error) {
        details.platformProblem = error instanceof Error ? error.message.slice(0, 4000) : 'The platform did not answer';
      }
    }
    return details;
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#timer);
    this.#offHub();
    await this.#polling?.catch(() => undefined);
  }

  #requireService(): ProvisioningService {
    if (!this.#service) throw new Error('the station service is not attached to the pipeline');
    return this.#service;
  }

  async #listPorts(): Promise<void> {
    const prefs = this.#options.prefs.current();
    const watched = this.#service?.settings().watchedPorts.filter((entry) => entry.startsWith('/')) ?? [];
    const listed = await listStationPorts({
      prefs,
      userPaths: watched,
      simulated: this.#presentUnits(),
      ...(this.#options.discover ? { discover: this.#options.discover } : {}),
    });
    const before = new Map(this.#ports.map((port) => [port.path, port]));
    const after = new Map(listed.ports.map((port) => [port.path, port]));
    const first = !this.#listedOnce;
    this.#listedOnce = true;
    this.#ports = listed.ports;
    this.#portView = this.#viewPorts(listed.ports);
    for (const [path, port] of after) {
      if (before.has(path)) continue;
      this.#service?.portArrived(portInfo(port));
      if (!first) this.#autoStart(port);
    }
    for (const [path, port] of before) if (!after.has(path)) this.#service?.portLeft(portInfo(port));
    this.#emit();
  }

  /**
   * Auto-start with no watched ports: every usable port counts as watched (the pipeline starts
   * watched ones itself). Only for devices plugged in after the station started, only while
   * someone is signed in, never on a blocked port.
   */
  #autoStart(port: StationPortInfo): void {
    const settings = this.#service?.settings();
    if (!settings?.autoStart || settings.watchedPorts.length > 0) return;
    if (this.#options.auth.state().status !== 'signedIn') return;
    if (this.#portView.find((view) => view.path === port.path)?.blocked) return;
    const lane = this.#service?.lanes().find((view) => view.port === port.path);
    if (lane && (lane.state === 'running' || lane.state === 'waiting')) return;
    this.#service?.start([portInfo(port)]).catch((error: unknown) => {
      this.#options.logger.warn({ err: error, port: port.path }, 'auto-start failed');
    });
  }

  #presentUnits(): string[] {
    return (
      this.#options.sandbox
        ?.units()
        .filter((unit) => unit.plugged)
        .map((unit) => unit.port) ?? []
    );
  }

  #viewPorts(ports: StationPortInfo[]): StationPort[] {
    const sandboxActive = this.sandboxActive();
    return ports.map((port) => ({
      path: port.path,
      label: portLabel(port),
      laneKey: port.laneKey,
      simulated: port.simulated,
      ...(sandboxActive && !port.simulated
        ? {
            blocked: {
              code: 'SANDBOX_REAL_PORT',
              message: 'sandbox — switch profile: the sandbox provisions its simulated devices only',
            },
          }
        : {}),
    }));
  }

  #nextPortForLabel(): string | undefined {
    const lanes = this.#service?.lanes() ?? [];
    return this.#portView.find((port) => {
      if (port.blocked || this.#scans.has(port.path)) return false;
      const lane = lanes.find((view) => view.port === port.path);
      return !lane || lane.state === 'idle' || lane.state === 'failed' || lane.state === 'passed';
    })?.path;
  }

  /** Compares a lane's scanned label with its hwid; a mismatch on a running lane stops it. */
  #checkScan(lane: LaneView | undefined): string {
    const scan = lane ? this.#scans.get(lane.port) : undefined;
    if (!lane || !scan) {
      return scan ? `Serial number ${scan.serial} is set for ${scan.port}: checked when its device says hello.` : '';
    }
    const running = lane.state === 'running' || lane.state === 'waiting';
    if (!lane.hwid || !running) {
      this.#scans.set(lane.port, { ...scan, check: 'pending' });
      return `Serial number ${scan.serial} is set for ${lane.port}: checked when its device says hello.`;
    }
    if (lane.hwid === scan.serial) {
      this.#scans.set(lane.port, { ...scan, check: 'match' });
      return `Serial number ${scan.serial} matches the device on ${lane.port}.`;
    }
    this.#scans.set(lane.port, { ...scan, check: 'mismatch' });
    this.#service?.stop([lane.id]);
    return `Serial number ${scan.serial} does not match the device on ${lane.port} (hwid ${lane.hwid}): the lane was stopped.`;
  }

  #laneUpdated(view: LaneView): void {
    let changed = false;
    if (view.runId && !this.#seenRuns.has(view.runId)) {
      this.#seenRuns.add(view.runId);
      this.#tally.runStarted();
      if (this.#workOrder) {
        this.#runWorkOrders.set(view.runId, this.#workOrder);
        this.#laneWorkOrders.set(view.id, this.#workOrder);
      } else {
        this.#laneWorkOrders.delete(view.id);
      }
      changed = true;
    }
    const scan = this.#scans.get(view.port);
    if (scan && view.hwid && scan.check === 'pending' && (view.state === 'running' || view.state === 'waiting')) {
      this.#checkScan(view);
      changed = true;
    }
    if (view.question?.kind === 'already-provisioned' && this.#autoRotate.has(view.id)) this.#answerRotate(view.id);
    if (changed) this.#emit();
  }

  /**
   * Answers "rotate" for a rotation the technician already confirmed. The question is announced
   * just before the run starts waiting for its answer, so the answer goes out on the next turns.
   */
  #answerRotate(laneId: string, attempt = 0): void {
    setTimeout(() => {
      if (!this.#autoRotate.has(laneId) || this.#closed) return;
      const lane = this.#service?.lanes().find((view) => view.id === laneId);
      if (lane?.question?.kind !== 'already-provisioned') return;
      if (!this.#service?.answer(laneId, 'rotate') && attempt < 20) this.#answerRotate(laneId, attempt + 1);
    }, attempt * 10);
  }

  #laneFinished(view: LaneView): void {
    this.#autoRotate.delete(view.id);
    const outcome = view.state;
    if (outcome !== 'passed' && outcome !== 'failed' && outcome !== 'skipped' && outcome !== 'unresolved') return;
    this.#tally.finished(outcome);
    const scan = this.#scans.get(view.port);
    // A mismatch fails the run at hello, before the lane learns the hwid: the code is what says so.
    if (scan && view.error?.code === 'SCANNED_SERIAL_MISMATCH')
      this.#scans.set(view.port, { ...scan, check: 'mismatch' });
    else if (scan && view.hwid && (outcome === 'passed' || outcome === 'skipped')) this.#scans.delete(view.port);
    const prefs = this.#options.prefs.current();
    const name = view.hwid ?? view.port;
    this.#options.hub.emit('station.notify', {
      laneId: view.id,
      port: view.port,
      outcome,
      title:
        outcome === 'passed'
          ? `Passed: ${name}`
          : outcome === 'failed'
            ? `Failed: ${name}`
            : outcome === 'skipped'
              ? `Skipped: ${name}`
              : `Needs a person: ${name}`,
      body: (view.error?.message ?? (outcome === 'passed' ? `Provisioned on ${view.port}.` : view.port)).slice(0, 4000),
      sound: prefs.sounds,
      notification: prefs.notifications,
    });
    const workOrder = view.runId ? this.#runWorkOrders.get(view.runId) : undefined;
    if (outcome === 'passed' && workOrder && view.deviceId) void this.#tagWorkOrder(view.deviceId, workOrder);
    this.#emit();
  }

  /** The work order on the platform device too, as a `workOrder` tag (replacing an older one). */
  async #tagWorkOrder(deviceId: string, workOrder: string): Promise<void> {
    try {
      const access = await this.#options.platform();
      const signal = AbortSignal.timeout(15_000);
      const device = await access.client.devices.get(access.applicationId, deviceId, { signal });
      const tags = device.tags
        .filter((tag) => tag.key !== 'workOrder')
        .map((tag) => ({ key: tag.key, value: tag.value }))
        .concat([{ key: 'workOrder', value: workOrder }]);
      await access.client.devices.patch(access.applicationId, deviceId, { tags }, { signal });
    } catch (error) {
      this.#options.logger.warn({ err: error, deviceId }, 'could not tag the device with its work order');
      this.#options.hub.emit('app.notice', {
        level: 'warning',
        message:
          `Device ${deviceId} passed, but its workOrder tag could not be set: ${error instanceof Error ? error.message : 'the platform did not answer'}`.slice(
            0,
            2000,
          ),
        time: new Date().toISOString(),
      });
    }
  }

  #emit(force = false): void {
    if (this.#closed) return;
    const state = this.state();
    const text = JSON.stringify(state);
    if (!force && text === this.#lastEmitted) return;
    this.#lastEmitted = text;
    this.#options.hub.emit('station.state', state);
  }
}
