import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startControlServer, type ControlServer } from './control-server';
import { startDeviceSimulator, type DeviceSimulator, type DeviceSimulatorOptions } from './simulator';

export interface DeviceFarmOptions extends Omit<DeviceSimulatorOptions, 'link' | 'hwid' | 'state'> {
  /** Directory for the station-side links `tty0`, `tty1`, …; default a new temporary directory. */
  linkDir?: string;
  /** hwid of device i is `${hwidPrefix}${i, 4 digits}`; default `SIM-`. */
  hwidPrefix?: string;
  /** Directory for the flash state files `<hwid>.json`; in memory when absent. */
  stateDir?: string;
  /** Start the loopback control endpoint on this port (0: any free port). */
  controlPort?: number;
}

export interface DeviceFarm {
  readonly devices: readonly DeviceSimulator[];
  /** Directory of the links, when the farm made them. */
  readonly linkDir: string | undefined;
  /** Base URL of the control endpoint, when started. */
  readonly controlUrl: string | undefined;
  close(): Promise<void>;
}

/** Starts `count` simulated devices at once (tests, benchmarks, the sandbox). */
export async function startDeviceFarm(count: number, options: DeviceFarmOptions = {}): Promise<DeviceFarm> {
  const { linkDir: requestedDir, hwidPrefix = 'SIM-', stateDir, controlPort, ...common } = options;
  const linkDir = requestedDir ?? (await mkdtemp(path.join(os.tmpdir(), 'keyline-farm-')));
  await mkdir(linkDir, { recursive: true });
  if (stateDir) await mkdir(stateDir, { recursive: true, mode: 0o700 });
  const units = Array.from({ length: count }, (_, index) => {
    const hwid = `${hwidPrefix}${String(index).padStart(4, '0')}`;
    return {
      ...common,
      link: path.join(linkDir, `tty${index}`),
      hwid,
      state: stateDir ? path.join(stateDir, `${hwid}.json`) : undefined,
    };
  });
  const farm = await startDevices(units, { controlPort });
  return {
    ...farm,
    linkDir,
    async close() {
      await farm.close();
      if (requestedDir === undefined) await rm(linkDir, { recursive: true, force: true });
    },
  };
}

/** Starts the given devices together, with one control endpoint for all of them if asked. */
export async function startDevices(
  units: readonly DeviceSimulatorOptions[],
  options: { controlPort?: number } = {},
): Promise<DeviceFarm> {
  const started = await Promise.allSettled(units.map((unit) => startDeviceSimulator(unit)));
  const devices = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failed = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) {
    await Promise.all(devices.map((device) => device.close()));
    throw failed.reason;
  }
  let control: ControlServer | undefined;
  try {
    if (options.controlPort !== undefined) control = await startControlServer(devices, options.controlPort);
  } catch (error) {
    await Promise.all(devices.map((device) => device.close()));
    throw error;
  }
  return {
    devices,
    linkDir: undefined,
    controlUrl: control?.url,
    async close() {
      await control?.close();
      await Promise.all(devices.map((device) => device.close()));
    },
  };
}
