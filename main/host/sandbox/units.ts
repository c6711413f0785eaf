import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_BAUD_RATE } from '../../../common/serial';
import type { SandboxFault } from '../../../common/contract/sandbox';
import { startDevices, type DeviceFarm } from '../../../simulators/device';
import { Firmware } from '../../../simulators/device/firmware';
import { Flash } from '../../../simulators/device/flash';
import { parseFaults } from '../../../simulators/device/faults';
import { PacedInput, PacedOutput } from '../../../simulators/device/paced-uart';
import { VirtualBinding } from './virtual-binding';

/** One simulated unit of the sandbox, whatever carries its bytes. */
export interface SandboxDevice {
  readonly port: string;
  readonly hwid: string;
  readonly model: string;
  plugged(): boolean;
  fault(): SandboxFault;
  setFault(fault: SandboxFault): void;
  unplug(): Promise<void>;
  replug(): Promise<void>;
}

export interface SandboxUnits {
  readonly transport: 'pty' | 'virtual';
  readonly devices: SandboxDevice[];
  /** The virtual ports' binding (absent on ptys). */
  readonly binding?: VirtualBinding;
  close(): Promise<void>;
}

/** What each fault a person can pick means for the firmware model (simulators/device/faults.ts). */
export const FAULT_SPECS: Record<SandboxFault, string> = {
  none: '',
  'no-network': 'no-network',
  'wrong-clock': 'wrong-clock',
  'flash-fail': 'flash-fail=stage',
  slow: 'slow=1500',
  mute: 'mute',
  'leak-secrets': 'leak-secrets',
};

export interface UnitSpec {
  hwid: string;
  model: string;
  fw: string;
}

/** The four units of a new sandbox: different models, as on a real bench. */
export const DEMO_UNITS: UnitSpec[] = [
  { hwid: 'KL-DEMO-0001', model: 'KL-THERMO', fw: '2.4.1' },
  { hwid: 'KL-DEMO-0002', model: 'KL-THERMO', fw: '2.4.1' },
  { hwid: 'KL-DEMO-0003', model: 'KL-VALVE', fw: '1.9.0' },
  { hwid: 'KL-DEMO-0004', model: 'KL-METER', fw: '3.0.2' },
];

/**
 * The demo units, or `count` of them for a full bench (KEYLINE_SANDBOX_UNITS, used by
 * `npm run bench:window` to watch the window during a 32-lane batch): the four demo units first,
 * then more of the same models.
 */
export function sandboxUnitSpecs(count = DEMO_UNITS.length): UnitSpec[] {
  const wanted = Number.isInteger(count) && count >= 1 && count <= 64 ? count : DEMO_UNITS.length;
  return Array.from({ length: wanted }, (_, index) => ({
    ...DEMO_UNITS[index % DEMO_UNITS.length]!,
    hwid: `KL-DEMO-${String(index + 1).padStart(4, '0')}`,
  }));
}

const TIMING = { bootMs: 400, chatterMs: 4000, flashWriteMs: 20 };

/** Units on socat pseudo-terminals, at `<dir>/ttySandbox<N>`: the serial link opens them like any tty. */
export async function startPtyUnits(specs: UnitSpec[]): Promise<SandboxUnits> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'keyline-sandbox-'));
  let farm: DeviceFarm;
  try {
    farm = await startDevices(
      specs.map((spec, index) => ({ ...spec, ...TIMING, link: path.join(dir, `ttySandbox${index + 1}`) })),
    );
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const faults = new Map<string, SandboxFault>();
  const devices = farm.devices.map((unit, index): SandboxDevice => ({
    port: unit.link,
    hwid: unit.hwid,
    model: specs[index]!.model,
    plugged: () => unit.state().plugged,
    fault: () => faults.get(unit.link) ?? 'none',
    setFault(fault) {
      unit.setFaults(FAULT_SPECS[fault]);
      faults.set(unit.link, fault);
    },
    unplug: () => unit.unplug(),
    replug: () => unit.replug(),
  }));
  return {
    transport: 'pty',
    devices,
    async close() {
      await farm.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Units behind in-process virtual ports (no socat: Windows, macOS): the same firmware model,
 * paced to the baud rate, reached through a serialport binding of our own.
 */
export async function startVirtualUnits(specs: UnitSpec[]): Promise<SandboxUnits> {
  const binding = new VirtualBinding();
  const baudRate = DEFAULT_BAUD_RATE;
  const devices: SandboxDevice[] = [];
  const stops: Array<() => void> = [];
  for (const [index, spec] of specs.entries()) {
    const port = `sandbox://unit-${index + 1}`;
    const firmware = new Firmware({ ...spec, ...TIMING, flash: await Flash.load(undefined) });
    let plugged = false;
    let fault: SandboxFault = 'none';
    let input: PacedInput | undefined;
    const plug = () => {
      const output = new PacedOutput({ baudRate, sink: (bytes) => binding.push(port, bytes) });
      input = new PacedInput(baudRate, (bytes) => firmware.receive(bytes));
      const paced = input;
      binding.plug(port, { fromStation: (bytes) => paced.receive(bytes) });
      firmware.attach(output);
      plugged = true;
      void firmware.powerOn('power-on');
    };
    const unplug = () => {
      firmware.powerOff();
      firmware.attach(undefined);
      input?.reset();
      binding.unplug(port);
      plugged = false;
    };
    plug();
    stops.push(unplug);
    devices.push({
      port,
      hwid: spec.hwid,
      model: spec.model,
      plugged: () => plugged,
      fault: () => fault,
      setFault(next) {
        firmware.faults = parseFaults(FAULT_SPECS[next]);
        fault = next;
      },
      unplug: async () => unplug(),
      replug: async () => {
        if (!plugged) plug();
      },
    });
  }
  return {
    transport: 'virtual',
    devices,
    binding,
    async close() {
      for (const stop of stops) stop();
    },
  };
}
