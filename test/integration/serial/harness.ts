import { randomBytes } from 'node:crypto';
import { SerialLink, type DeviceLogLine, type TraceEntry } from '../../../main/serial';
import { SecretRedactor } from '../../../main/security/secret-redactor';
import { startDeviceSimulator, type DeviceSimulator, type DeviceSimulatorOptions } from '../../../simulators/device';
import type { OpenLinkOptions } from '../../../main/serial/serial-link';

export interface Bench {
  device: DeviceSimulator;
  link: SerialLink;
  redactor: SecretRedactor;
  logs: DeviceLogLine[];
  traces: TraceEntry[];
  /** Every line the firmware printed, unredacted: proof of what went over the wire. */
  printed: string[];
  close(): Promise<void>;
}

/** One simulated device on a real pty, and the station's link to it, wired for assertions. */
export async function startBench(
  options: DeviceSimulatorOptions = {},
  linkOptions: Partial<OpenLinkOptions> = {},
): Promise<Bench> {
  const printed: string[] = [];
  const device = await startDeviceSimulator({
    bootMs: 60,
    chatterMs: 0,
    flashWriteMs: 10,
    ...options,
    onLine: (line) => printed.push(line),
  });
  const redactor = linkOptions.redactor ?? new SecretRedactor();
  let link: SerialLink;
  try {
    link = await SerialLink.open({ path: device.link, ...linkOptions, redactor });
  } catch (error) {
    await device.close();
    throw error;
  }
  const logs: DeviceLogLine[] = [];
  const traces: TraceEntry[] = [];
  link.client.on('log', (line) => logs.push(line));
  link.client.on('trace', (entry) => traces.push(entry));
  // Start once the station has seen the unit's boot event, so no test races its own unit's start.
  const booted = new Promise((resolve) => link.client.once('boot', resolve));
  await Promise.race([booted, sleep(3000)]);
  await device.whenReady();
  return {
    device,
    link,
    redactor,
    logs,
    traces,
    printed,
    async close() {
      await link.close();
      await device.close();
    },
  };
}

export function credentials(apiUrl: string) {
  return {
    deviceId: randomBytes(12).toString('hex'),
    key: `key-${randomBytes(8).toString('hex')}`,
    keyId: randomBytes(12).toString('hex'),
    secret: `secret-${randomBytes(24).toString('base64url')}`,
    apiUrl,
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once the condition holds; fails with a clear message after the timeout. */
export async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(20);
  }
}
