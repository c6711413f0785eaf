import { realpathSync } from 'node:fs';
import { deviceLinkOver } from '../provisioning';
import type { DeviceConnector, DeviceLink } from '../provisioning/ports';
import type { SerialLink } from '../serial';
import type { DeviceOpener } from './device-opener';
import { StationError } from './errors';

export interface ConnectorGuards {
  /** A port the sandbox simulates. */
  isSimulated(path: string): boolean;
  /** Whether the sandbox profile is the active one. */
  sandboxActive(): boolean;
  /** The platform address batches go to now (the active profile's), when known. */
  apiUrl(): Promise<string | undefined>;
  /** The serial number scanned for the lane on this port, if any. */
  expectedSerial(path: string): string | undefined;
}

export function isLoopbackUrl(url: string): boolean {
  try {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    return host === 'localhost' || host === '::1' || /^127\./.test(host) || host.endsWith('.localhost');
  } catch {
    return false;
  }
}

/** A pseudo-terminal is never a physical device (the device simulator and the sandbox sit on ptys). */
export function isPhysicalPort(path: string, guards: Pick<ConnectorGuards, 'isSimulated'>): boolean {
  if (guards.isSimulated(path)) return false;
  let real = path;
  try {
    real = realpathSync(path);
  } catch {
    // A path that does not resolve opens as itself (and fails there with its own message).
  }
  return !/^\/dev\/(pts\/|ptmx)/.test(real);
}

const SANDBOX_MESSAGE =
  'sandbox — switch profile: the sandbox provisions its simulated devices only. To provision this device, switch to a real platform in Settings and sign in to it.';

/**
 * The pipeline's device connector for the app: opens ports through the station's opener and adds
 * the station's guards. The sandbox profile provisions simulated ports only; a physical device
 * never gets a loopback platform address (refused before anything is minted, and again in the
 * stage request itself); a serial number scanned for a lane must be the hwid its device reports.
 */
export function stationConnector(opener: DeviceOpener, guards: ConnectorGuards): DeviceConnector {
  return {
    async open(path, signal) {
      const physical = isPhysicalPort(path, guards);
      if (!guards.isSimulated(path) && guards.sandboxActive())
        throw new StationError('SANDBOX_REAL_PORT', SANDBOX_MESSAGE);
      if (physical) {
        const apiUrl = await guards.apiUrl().catch(() => undefined);
        if (apiUrl && isLoopbackUrl(apiUrl)) {
          throw new StationError(
            'LOOPBACK_PLATFORM_REAL_PORT',
            `The active profile's platform (${apiUrl}) runs on this computer: a physical device could never reach it. Sign in to a real platform profile in Settings.`,
          );
        }
      }
      const opened = await opener(path, signal);
      // deviceLinkOver uses the link's path, client and close only: every opener gives those.
      const link: DeviceLink = deviceLinkOver(opened as SerialLink);
      return {
        ...link,
        async hello(helloSignal) {
          const hello = await link.hello(helloSignal);
          const expected = guards.expectedSerial(path);
          if (expected !== undefined && expected !== hello.hwid) {
            throw new StationError(
              'SCANNED_SERIAL_MISMATCH',
              `The serial number scanned for this lane (${expected}) is not the device on ${path} (hwid ${hello.hwid}): check the label and the cable, then scan again`,
            );
          }
          return hello;
        },
        async stage(request, stageSignal) {
          if (physical && isLoopbackUrl(request.apiUrl)) {
            throw new StationError(
              'SERIAL_STAGE_REFUSED',
              `Refused to stage ${request.apiUrl} on the physical device on ${path}: that address is this computer, which the device can never reach`,
            );
          }
          return link.stage(request, stageSignal);
        },
      };
    },
  };
}
