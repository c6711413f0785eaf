import type {
  Answer,
  BatchCounters,
  LaneView,
  ProvisioningSettings,
  StepName,
} from '../../common/contract/provisioning';
import type { SecretRedactor } from '../security/secret-redactor';
import { acquireDataDirLock, type DataDirLock } from '../storage/data-dir-lock';
import { journalPort } from './adapters/journal-port';
import { openJournal, secretCheckFromRedactor, type Journal } from './journal';
import { KeyedSerializer } from './keyed-serializer';
import { LaneManager, type LaneEvents, type LaneManagerDeps, type PortInfo } from './lane-manager';
import {
  systemClock,
  type Clock,
  type DeviceConnector,
  type JournalPort,
  type PlatformPort,
  type RunRecord,
} from './ports';
import { reconcileUnfinished, type ReconcileSummary } from './reconcile';
import type { RunDeps } from './run/context';
import type { SettingsStore } from './settings-store';

/** The platform a batch provisions into, resolved when the batch starts (sign-in can change between batches). */
export interface ProvisioningTarget {
  platform: PlatformPort;
  /** The application chosen at sign-in; the settings' own applicationId wins when set. */
  applicationId?: string;
  operator: string;
}

export interface ProvisioningServiceOptions {
  dataDir: string;
  redactor: SecretRedactor;
  connector: DeviceConnector;
  target: () => Promise<ProvisioningTarget>;
  settings: SettingsStore;
  /** Settings for this process only, over the stored ones (the CLI's flags). */
  overrides?: Partial<ProvisioningSettings>;
  station: string;
  events: LaneEvents;
  /** What the data-dir lock names as its holder ("keyline provision", "Keyline app"). */
  lockCommand: string;
  answerFor?: LaneManagerDeps['answerFor'];
  clock?: Clock;
  timeouts?: Partial<Record<StepName, number>>;
  helloGraceMs?: number;
  /** Journal port for tests; the hash-chained journal in the data directory otherwise. */
  journal?: JournalPort;
}

/**
 * The pipeline as a service for the composition root and the CLI: lanes, settings, the journal
 * (opened under the data-dir lock when the first batch starts) and start-up reconciliation.
 */
export class ProvisioningService {
  readonly #options: ProvisioningServiceOptions;
  readonly #manager: LaneManager;
  readonly #hwidLocks = new KeyedSerializer();
  readonly #unjournaled = new Map<string, RunRecord>();
  #deps: RunDeps | undefined;
  #lock: DataDirLock | undefined;
  #journal: Journal | undefined;
  #journalPort: JournalPort | undefined;
  #opening: Promise<JournalPort> | undefined;
  #reconciled = false;
  readonly #closers: Array<() => Promise<void> | void> = [];

  constructor(options: ProvisioningServiceOptions) {
    this.#options = options;
    this.#manager = new LaneManager({
      runDeps: () => {
        if (!this.#deps) throw new Error('runs start only after prepare()');
        return this.#deps;
      },
      settings: () => this.settings(),
      events: options.events,
      clock: options.clock ?? systemClock,
      ...(options.answerFor ? { answerFor: options.answerFor } : {}),
      onUnjournaled: (record) => this.#unjournaled.set(record.runId, record),
    });
  }

  /** The settings in force: stored ones under this process's overrides. */
  settings(): ProvisioningSettings {
    return { ...this.#options.settings.current(), ...this.#options.overrides };
  }

  async getSettings(): Promise<ProvisioningSettings> {
    await this.#options.settings.get();
    return this.settings();
  }

  async setSettings(patch: Partial<ProvisioningSettings>): Promise<ProvisioningSettings> {
    await this.#options.settings.update(patch);
    return this.settings();
  }

  lanes(): LaneView[] {
    return this.#manager.lanes();
  }

  counters(): BatchCounters {
    return this.#manager.counters();
  }

  lastRecord(laneId: string): RunRecord | undefined {
    return this.#manager.lastResult(laneId)?.record;
  }

  /** Starts a lane on each port (watched ports when none are given). */
  async start(ports?: Array<string | PortInfo>): Promise<LaneView[]> {
    await this.#prepare();
    const wanted = ports ?? this.settings().watchedPorts;
    return this.#manager.start(wanted);
  }

  async retry(laneIds?: string[]): Promise<LaneView[]> {
    await this.#prepare();
    return this.#manager.retry(laneIds);
  }

  /** Needs no platform: a unit can be set aside while signed out or offline. */
  skip(laneIds: string[]): Promise<LaneView[]> {
    return this.#manager.skip(laneIds);
  }

  stop(laneIds?: string[]): number {
    return this.#manager.stop(laneIds);
  }

  answer(laneId: string, answer: Answer): boolean {
    return this.#manager.answer(laneId, answer);
  }

  /** Hot-plug arrivals and departures, from port discovery. */
  portArrived(port: PortInfo): void {
    if (!this.settings().autoStart) {
      this.#manager.portArrived(port);
      return;
    }
    void this.#prepare().then(
      () => this.#manager.portArrived(port),
      () => undefined,
    );
  }

  portLeft(port: PortInfo): void {
    this.#manager.portLeft(port);
  }

  idle(): Promise<void> {
    return this.#manager.idle();
  }

  /**
   * Settles the runs a crash left unfinished (and those this process could not journal). Runs at
   * the first batch; call it earlier to report at start-up.
   */
  async reconcile(): Promise<ReconcileSummary[]> {
    const journal = await this.#openJournal();
    const target = await this.#options.target();
    const summaries = await reconcileUnfinished(
      {
        connector: this.#options.connector,
        platform: target.platform,
        journal,
        station: this.#options.station,
        operator: target.operator,
        retireOldKey: this.settings().retireOldKey,
        known: this.#unjournaled,
        ...(this.#options.helloGraceMs !== undefined ? { helloGraceMs: this.#options.helloGraceMs } : {}),
        portsFor: (intent) => {
          const lane = this.#manager.lanes().find((view) => view.hwid === intent.hwid);
          return [...new Set([intent.port, ...(lane ? [lane.port] : [])])];
        },
      },
      { running: this.#manager.runningRunIds() },
    );
    for (const summary of summaries) if (summary.outcome) this.#unjournaled.delete(summary.runId);
    this.#reconciled = true;
    return summaries;
  }

  /** Something the service's close() must close first (a port watcher). */
  onClose(closer: () => Promise<void> | void): void {
    this.#closers.push(closer);
  }

  async close(): Promise<void> {
    for (const closer of this.#closers.splice(0)) await closer();
    await this.#manager.close();
    await this.#journal?.close().catch(() => undefined);
    this.#journal = undefined;
    await this.#lock?.release();
    this.#lock = undefined;
  }

  async #prepare(): Promise<void> {
    const journal = await this.#openJournal();
    if (!this.#reconciled || this.#unjournaled.size > 0) await this.reconcile();
    const target = await this.#options.target();
    const settings = this.settings();
    if (!settings.applicationId && target.applicationId) {
      this.#options.overrides = { ...this.#options.overrides, applicationId: target.applicationId };
    }
    const { redactor } = this.#options;
    this.#deps = {
      connector: this.#options.connector,
      platform: target.platform,
      journal,
      clock: this.#options.clock ?? systemClock,
      secrets: (secret) => redactor.add(secret),
      hwidLocks: this.#hwidLocks,
      station: this.#options.station,
      operator: target.operator,
      ...(this.#options.timeouts ? { timeouts: this.#options.timeouts } : {}),
      ...(this.#options.helloGraceMs !== undefined ? { helloGraceMs: this.#options.helloGraceMs } : {}),
    };
  }

  #openJournal(): Promise<JournalPort> {
    if (this.#journalPort) return Promise.resolve(this.#journalPort);
    if (this.#options.journal) return Promise.resolve((this.#journalPort = this.#options.journal));
    this.#opening ??= (async () => {
      const lock = await acquireDataDirLock(this.#options.dataDir, { command: this.#options.lockCommand });
      try {
        const journal = await openJournal({ lock, isSecret: secretCheckFromRedactor(this.#options.redactor) });
        this.#lock = lock;
        this.#journal = journal;
        return (this.#journalPort = journalPort(journal, () => this.settings().applicationId));
      } catch (error) {
        await lock.release();
        throw error;
      }
    })().finally(() => {
      this.#opening = undefined;
    });
    return this.#opening;
  }
}
