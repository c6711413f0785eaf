import os from 'node:os';
import type { AuthService } from '../auth';
import type { EventHub } from '../host/event-hub';
import type { Logger } from '../host/logger';
import type { SecretRedactor } from '../security/secret-redactor';
import type { StepName } from '../../common/contract/provisioning';
import { serialConnector } from './adapters/serial-connector';
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
  return new ProvisioningService({
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
    events: laneEventsTo(options.events),
    lockCommand: 'Keyline app',
    ...(options.timeouts ? { timeouts: options.timeouts } : {}),
  });
}
