import { SerialLink, type DeviceClient, type DeviceLogLine } from '../serial';
import type { SecretRedactor } from '../security/secret-redactor';

/** An open conversation with the unit on one port: the protocol client, and its owner's close. */
export interface OpenedDevice {
  readonly path: string;
  readonly client: DeviceClient;
  close(): Promise<void>;
}

/**
 * Opens a port and gives its protocol client. The real one is the serial link; the sandbox passes
 * one for its in-process virtual units where there is no socat. Everything the station does with
 * a device (lanes, Locate, check, decommission) opens through one of these.
 */
export type DeviceOpener = (path: string, signal?: AbortSignal) => Promise<OpenedDevice>;

export function serialOpener(options: {
  redactor: SecretRedactor;
  onLog?: (line: DeviceLogLine) => void;
}): DeviceOpener {
  return async (path, signal) => {
    const link = await SerialLink.open({ path, redactor: options.redactor, ...(signal ? { signal } : {}) });
    if (options.onLog) link.client.on('log', options.onLog);
    return link;
  };
}

/** Sends the paths one opener owns (the sandbox's virtual units) there, and everything else to the other. */
export function routedOpener(
  fallback: DeviceOpener,
  special?: { owns(path: string): boolean; open: DeviceOpener },
): DeviceOpener {
  if (!special) return fallback;
  return (path, signal) => (special.owns(path) ? special.open(path, signal) : fallback(path, signal));
}

/** Opens, runs one piece of work, and always closes. */
export async function withDevice<T>(
  opener: DeviceOpener,
  path: string,
  work: (device: OpenedDevice) => Promise<T>,
  signal?: AbortSignal,
): Promise<T> {
  const device = await opener(path, signal);
  try {
    return await work(device);
  } finally {
    await device.close().catch(() => undefined);
  }
}
