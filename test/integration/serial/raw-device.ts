import { closeSync, constants, openSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SerialPort } from 'serialport';
import { afterEach, beforeEach } from 'vitest';
import { startPtyPair, type PtyPair } from '../../../simulators/device/pty-pair';

/** The device's end of a real pty pair, driven byte by byte by the test instead of a simulator. */
export interface RawDevice {
  /** The port the station opens. */
  readonly stationLink: string;
  /** The device's end, open, for reading what the station sends. */
  readonly device: SerialPort;
  /** A second descriptor on the device's end, for writes that are in the kernel when the call returns. */
  readonly deviceFd: number;
}

/** Registers the hooks that give each test a fresh pty pair in a temp dir (named from `prefix`), closed after it. */
export function useRawDevice(prefix: string): RawDevice {
  let dir: string;
  let pair: PtyPair;
  let device: SerialPort;
  let deviceFd: number;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), prefix));
    pair = await startPtyPair(path.join(dir, 'station'), path.join(dir, 'device'));
    device = new SerialPort({ path: pair.deviceLink, baudRate: 115200, autoOpen: false });
    await new Promise<void>((resolve, reject) => device.open((error) => (error ? reject(error) : resolve())));
    deviceFd = openSync(pair.deviceLink, constants.O_RDWR | constants.O_NOCTTY);
  });
  afterEach(async () => {
    closeSync(deviceFd);
    if (device.isOpen) await new Promise<void>((resolve) => device.close(() => resolve()));
    await pair.close();
    await rm(dir, { recursive: true, force: true });
  });
  return {
    get stationLink() {
      return pair.stationLink;
    },
    get device() {
      return device;
    },
    get deviceFd() {
      return deviceFd;
    },
  };
}
