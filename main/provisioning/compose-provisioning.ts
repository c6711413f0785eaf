import os from 'node:os';
import type { AuthService } from '../auth';
import type { EventHub } from '../host/event-hub';
import type { Logger } from '../host/logger';
import type { SecretRedactor } from '../security/secret-redactor';
import type { StepName } from '../../common/contract/provisioning';
import { discoverPorts, PortWatcher, type DiscoveredPort } from '../serial';
import { serialConnector } from './adapters/serial-connector';
import type { PortInfo } from './lane-manager';
import { sessionTarget } from './adapters/station-target';
import { laneEventsTo } from './handlers';
import type { DeviceConnector } from './ports';
import { ProvisioningService } from './service';
import { SettingsStore } from './settings-store';

export interface StationProvisioningOptions {
  /** Opens ports; the real serial link by default (the sandbox may pass a virtual one). */
  connector?: DeviceConnector;
  timeouts?: Partial<Record<StepName, number>>;
  station?: string;
  /** Watch for ports arriving and leaving (auto-start, re-attach); on unless false. */
  watchPorts?: boolean;
}

/** Builds the app's pipeline service: the signed-in session's platform, the real serial link, contract events. */
export function composeProvisioning(
  options: StationProvisioningOptions & {
    dataDir: string;
    redactor: SecretRedactor;
    events: EventHub;
    logger: Logger;
    auth: AuthService;
  },
): ProvisioningService {
  const { redactor, logger } = options;
  const service = new ProvisioningService({
    dataDir: options.dataDir,
    redactor,
    connector:
      options.connector ??
      serialConnector({
        redactor,
        onLog: (line) => logger.debug({ port: line.port, line: line.text }, 'device log'),
      }),
    target: sessionTarget(options.auth, redactor),
    settings: new SettingsStore(options.dataDir),
    station: options.station ?? os.hostname(),
    events: laneEventsTo(options.events, (error) => logger.error({ err: error }, 'a lane event broke the contract')),
    lockCommand: 'Keyline app',
    ...(options.timeouts ? { timeouts: options.timeouts } : {}),
  });
  if (options.watchPorts !== false) {
    const watcher = new PortWatcher({
      discover: () =>
        discoverPorts({ userPaths: service.settings().watchedPorts.filter((entry) => entry.startsWith('/')) }),
    });
    watcher.on('arrived', (port) => service.portArrived(portInfo(port)));
    watcher.on('left', (port) => service.portLeft(portInfo(port)));
    watcher.on('error', (error) => logger.debug({ err: error }, 'port discovery failed this round'));
    void service.getSettings().then(
      () => watcher.start(),
      (error: unknown) => logger.warn({ err: error }, 'provisioning settings unreadable; ports are not watched'),
    );
    service.onClose(() => watcher.stop());
  }
  return service;
}

/** A discovered port as the lanes know it: its path, and the identity that survives re-enumeration. */
export function portInfo(port: DiscoveredPort): PortInfo {
  return {
    path: port.path,
    ...(port.serialNumber ? { serialNumber: port.serialNumber } : {}),
    laneKey: port.laneKey,
  };
}
