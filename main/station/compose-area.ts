import os from 'node:os';
import type { HostKind } from '../../common/contract';
import type { AuthService } from '../auth';
import type { EventHub } from '../host/event-hub';
import type { Handlers } from '../host/dispatcher';
import type { Logger } from '../host/logger';
import {
  laneEventsTo,
  provisioningHandlers,
  ProvisioningService,
  SettingsStore,
  type StationProvisioningOptions,
} from '../provisioning';
import { sessionTarget } from '../provisioning/adapters/station-target';
import type { JournalEntryInput } from '../provisioning/journal';
import type { SecretRedactor } from '../security/secret-redactor';
import { routedOpener, serialOpener } from './device-opener';
import { HistoryService, type SaveFilePicker } from './history/history-service';
import { historyHandlers } from './history/history-handlers';
import { JournalOwner } from './journal-owner';
import { platformAccess } from './platform-access';
import { PortDoctor } from './ports/port-doctor';
import { systemFacts, type SystemFacts } from './ports/system-facts';
import { PrefsStore } from './prefs-store';
import type { SandboxHandle } from './sandbox-handle';
import { stationConnector } from './station-connector';
import { sandboxHandlers } from './sandbox-handlers';
import { stationHandlers } from './station-handlers';
import { StationService } from './station-service';

export interface StationAreaOptions {
  host: HostKind;
  dataDir: string;
  redactor: SecretRedactor;
  logger: Logger;
  events: EventHub;
  auth: AuthService;
  sandbox?: SandboxHandle;
  saveFile?: SaveFilePicker;
  /** Seams: a device connector (tests pass their own), step timeouts, the station name. */
  provisioning?: StationProvisioningOptions;
  /** Port polling interval (0: only on request); the OS facts the port doctor reads. */
  pollMs?: number;
  facts?: SystemFacts;
}

export interface StationArea {
  readonly provisioning: ProvisioningService;
  readonly station: StationService;
  /** Appends to the data directory's journal (the one chain this process keeps, under its lock). */
  appendJournal(entry: JournalEntryInput): Promise<void>;
  readonly handlers: Pick<
    Handlers,
    | keyof ReturnType<typeof stationHandlers>
    | keyof ReturnType<typeof historyHandlers>
    | keyof ReturnType<typeof sandboxHandlers>
    | ProvisioningMethod
  >;
  close(): Promise<void>;
}

type ProvisioningMethod = Extract<keyof Handlers, `provisioning.${string}`>;

/**
 * Builds the pipeline the way the app runs it, plus the screens around it: the journal owned here
 * (so decommissioning can append and every run record carries its work order), the serial link
 * behind the station's guards (sandbox, loopback, scanned serial), the Station service (ports,
 * counters, scanner, notifications), the port doctor, History and device care.
 */
export async function composeStationArea(options: StationAreaOptions): Promise<StationArea> {
  const { dataDir, redactor, logger, events, auth, sandbox } = options;
  const prefs = new PrefsStore(dataDir);
  const settings = new SettingsStore(dataDir);
  const station = new StationService({
    hub: events,
    prefs,
    auth,
    opener: (path, signal) => opener(path, signal),
    platform: () => access(),
    logger,
    ...(sandbox ? { sandbox } : {}),
    ...(options.pollMs !== undefined ? { pollMs: options.pollMs } : {}),
  });
  const opener = routedOpener(
    serialOpener({
      redactor,
      onLog: (line) => {
        station.deviceLog(line);
        logger.debug({ port: line.port, line: line.text }, 'device log');
      },
    }),
    sandbox?.opener
      ? {
          owns: sandbox.opener.owns,
          open: async (path, signal) => {
            const device = await sandbox.opener!.open(path, signal);
            device.client.on('log', (line) => station.deviceLog(line));
            return device;
          },
        }
      : undefined,
  );
  const journal = new JournalOwner({
    dataDir,
    redactor,
    command: 'Keyline app',
    workOrderOf: (runId) => station.workOrderOf(runId),
  });
  const stationName = options.provisioning?.station ?? os.hostname();
  const provisioning = new ProvisioningService({
    dataDir,
    redactor,
    connector:
      options.provisioning?.connector ??
      stationConnector(opener, {
        isSimulated: (path) => station.isSimulated(path),
        sandboxActive: () => station.sandboxActive(),
        apiUrl: async () => (auth.state().status === 'signedIn' ? (await auth.target()).apiUrl : undefined),
        expectedSerial: (path) => station.expectedSerial(path),
      }),
    target: sessionTarget(auth, redactor),
    settings,
    station: stationName,
    events: station.laneEvents(
      laneEventsTo(events, (error) => logger.error({ err: error }, 'a lane event broke the contract')),
    ),
    lockCommand: 'Keyline app',
    journal: journal.port(),
    ...(options.provisioning?.timeouts ? { timeouts: options.provisioning.timeouts } : {}),
  });
  station.attach(provisioning);
  const access = platformAccess(auth, redactor, () => provisioning.settings().applicationId);
  const doctor = new PortDoctor({
    facts: options.facts ?? systemFacts,
    prefs: () => prefs.current(),
    userPaths: () => provisioning.settings().watchedPorts.filter((entry) => entry.startsWith('/')),
    simulated: () =>
      sandbox
        ?.units()
        .filter((unit) => unit.plugged)
        .map((unit) => unit.port) ?? [],
    sandboxActive: () => station.sandboxActive(),
    lanePorts: () => provisioning.lanes().map((lane) => lane.port),
    opener,
  });
  await settings.get().catch((error: unknown) => logger.warn({ err: error }, 'provisioning settings unreadable'));
  await station.start();

  return {
    provisioning,
    station,
    appendJournal: (entry) => journal.append(entry),
    handlers: {
      ...provisioningHandlers(provisioning),
      ...historyHandlers(new HistoryService({ dataDir, redactor }), options.saveFile),
      ...stationHandlers({
        station,
        doctor,
        provisioning,
        opener,
        platform: access,
        decommission: { opener, platform: access, append: (entry) => journal.append(entry), station: stationName },
      }),
      ...sandboxHandlers(sandbox, station),
    },
    async close() {
      await station.close();
      await provisioning.close();
      await journal.close();
    },
  };
}
