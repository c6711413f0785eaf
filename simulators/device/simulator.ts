import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SerialPort } from 'serialport';
import { DEFAULT_BAUD_RATE, type SlotSummary } from '../../common/serial';
import { type Faults, formatFaults, NO_FAULTS, parseFaults } from './faults';
import { Firmware } from './firmware';
import { Flash } from './flash';
import { PacedInput, PacedOutput } from './paced-uart';
import { startPtyPair, type PtyPair } from './pty-pair';
import { slotsOf } from './slot-table';

export interface DeviceSimulatorOptions {
  /** Where the station's end appears (a symlink to a pty). Default: a new temporary path. */
  link?: string;
  hwid?: string;
  model?: string;
  fw?: string;
  /** Send `test` HTTP calls here instead of the staged API URL. */
  platform?: string;
  /** A fault spec (see faults.ts) or parsed faults. */
  faults?: string | Faults;
  /** JSON file that plays the device's flash; in memory when absent. */
  state?: string;
  baudRate?: number;
  maxPayload?: number;
  flashWriteMs?: number;
  bootMs?: number;
  /** Mean interval of background log lines (0: none; default 5000). */
  chatterMs?: number;
  fetch?: typeof fetch;
  /** Every log line the firmware prints, as it prints it (secrets included if it leaks them). */
  onLine?: (line: string) => void;
}

/** What a test may know about a simulated unit: never a secret. */
export interface DeviceState {
  link: string;
  hwid: string;
  model: string;
  fw: string;
  plugged: boolean;
  ready: boolean;
  boots: number;
  uptimeMs: number;
  identifying: boolean;
  faults: string;
  slots: { active: SlotSummary | null; staged: SlotSummary | null; previous: SlotSummary | null; pending: boolean };
  /** Full fingerprints, so a test can compare with what it staged. */
  fingerprints: { active: string | null; staged: string | null; previous: string | null };
}

export interface DeviceSimulator {
  readonly link: string;
  readonly hwid: string;
  state(): DeviceState;
  setFaults(faults: string | Faults): void;
  /** Resets the unit (as its reset button or a watchdog would). Resolves when it has booted. */
  reboot(reason?: string): Promise<void>;
  /** Pulls the USB cable: the pty disappears and the unit loses power. */
  unplug(): Promise<void>;
  /** Plugs it back: a new pty at the same link, and the unit boots. */
  replug(): Promise<void>;
  /** Resolves when the unit has printed its boot event and reads requests. */
  whenReady(timeoutMs?: number): Promise<void>;
  recentLog(): string[];
  close(): Promise<void>;
}

/**
 * Starts one simulated device: a socat pty pair with the station's end at `link`, the firmware
 * model on the other end over the real `serialport`, output paced to the baud rate.
 */
export async function startDeviceSimulator(options: DeviceSimulatorOptions = {}): Promise<DeviceSimulator> {
  const baudRate = options.baudRate ?? DEFAULT_BAUD_RATE;
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'keyline-device-'));
  const link = options.link ?? path.join(scratch, 'tty');
  const deviceLink = path.join(scratch, 'firmware-end');
  const hwid = options.hwid ?? `SIM-${randomBytes(4).toString('hex').toUpperCase()}`;
  const faults =
    options.faults === undefined
      ? NO_FAULTS
      : typeof options.faults === 'string'
        ? parseFaults(options.faults)
        : options.faults;
  const flash = await Flash.load(options.state);
  const firmware = new Firmware({
    hwid,
    model: options.model ?? 'KL-SIM',
    fw: options.fw ?? '1.0.0-sim',
    flash,
    faults,
    platformOverride: options.platform,
    fetch: options.fetch,
    maxPayload: options.maxPayload,
    flashWriteMs: options.flashWriteMs,
    bootMs: options.bootMs,
    chatterMs: options.chatterMs,
    onLine: options.onLine,
  });

  let pair: PtyPair | undefined;
  let port: SerialPort | undefined;
  let input: PacedInput | undefined;
  let closed = false;

  const plug = async () => {
    pair = await startPtyPair(link, deviceLink);
    const opened = new SerialPort({ path: deviceLink, baudRate, autoOpen: false });
    await new Promise<void>((resolve, reject) => opened.open((error) => (error ? reject(error) : resolve())));
    port = opened;
    const output = new PacedOutput({
      baudRate,
      sink: (bytes) => {
        if (opened.isOpen) opened.write(Buffer.from(bytes));
      },
      // Nobody reading the station's end: the bytes go nowhere, as on a real UART.
      blocked: () => opened.writableLength > 64 * 1024,
    });
    const paced = new PacedInput(baudRate, (bytes) => firmware.receive(bytes));
    input = paced;
    opened.on('data', (chunk: Buffer) => paced.receive(new Uint8Array(chunk)));
    opened.on('error', () => undefined);
    firmware.attach(output);
    void firmware.powerOn('power-on');
  };

  const unplug = async () => {
    firmware.powerOff();
    firmware.attach(undefined);
    input?.reset();
    const current = port;
    port = undefined;
    if (current?.isOpen) await new Promise<void>((resolve) => current.close(() => resolve()));
    await pair?.close();
    pair = undefined;
  };

  const whenReady = async (timeoutMs = 10000) => {
    const deadline = performance.now() + timeoutMs;
    while (!firmware.ready) {
      if (performance.now() > deadline) throw new Error(`device ${hwid} did not boot within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };

  await plug();

  return {
    link,
    hwid,
    state() {
      const table = firmware.table;
      return {
        link,
        hwid,
        model: firmware.identity.model,
        fw: firmware.identity.fw,
        plugged: pair !== undefined,
        ready: firmware.ready,
        boots: firmware.boots,
        uptimeMs: firmware.uptimeMs,
        identifying: firmware.identifying,
        faults: formatFaults(firmware.faults),
        slots: slotsOf(table),
        fingerprints: {
          active: table.active?.fp ?? null,
          staged: table.staged?.fp ?? null,
          previous: table.previous?.fp ?? null,
        },
      };
    },
    setFaults(next) {
      firmware.faults = typeof next === 'string' ? parseFaults(next) : next;
    },
    async reboot(reason = 'reset') {
      firmware.reset(reason);
      await new Promise((resolve) => setTimeout(resolve, 40));
      await whenReady();
    },
    unplug,
    async replug() {
      if (pair || closed) return;
      await plug();
    },
    whenReady,
    recentLog: () => firmware.recentLog(),
    async close() {
      if (closed) return;
      closed = true;
      await unplug();
      await rm(scratch, { recursive: true, force: true });
    },
  };
}
