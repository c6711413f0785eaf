import { pick } from './random';

/**
 * What can go wrong on a unit during one run, chosen at random for a share of the units: serial
 * corruption and lost bytes, resets during or right after an operation (lost replies), flash
 * writes that fail, a slow firmware, and, in the middle of a run, a reset or a pulled cable.
 */
export interface DeviceFault {
  /** A fault spec for the simulator (simulators/device/faults.ts), or '' for none. */
  spec: string;
  /** Something done to the unit while its run goes on, `atMs` after the run starts. */
  action?: { kind: 'reboot' | 'unplug'; atMs: number; forMs: number };
  /** A short name for the report. */
  label: string;
}

const OPS_WITH_REPLIES = ['hello', 'stage', 'test', 'commit', 'confirm'] as const;
const FLASH_OPS = ['stage', 'commit', 'confirm'] as const;

export function chooseDeviceFault(random: () => number, rate: number): DeviceFault {
  if (random() >= rate) return { spec: '', label: 'none' };
  const seed = Math.floor(random() * 1e9);
  switch (Math.floor(random() * 8)) {
    case 0:
      return { spec: `corrupt=0.2,seed=${seed}`, label: 'serial corruption' };
    case 1:
      return { spec: `drop=0.2,seed=${seed}`, label: 'serial bytes lost' };
    case 2: {
      const op = pick(random, OPS_WITH_REPLIES);
      return { spec: `reboot-during=${op}`, label: `reset during ${op}` };
    }
    case 3: {
      const op = pick(random, OPS_WITH_REPLIES);
      return { spec: `reboot-after=${op}`, label: `reset after ${op}` };
    }
    case 4: {
      const op = pick(random, FLASH_OPS);
      return { spec: `flash-fail=${op}`, label: `flash fails on ${op}` };
    }
    case 5:
      return { spec: `slow=${600 + Math.floor(random() * 900)}`, label: 'slow firmware' };
    case 6:
      return {
        spec: '',
        action: { kind: 'reboot', atMs: Math.floor(random() * 2500), forMs: 0 },
        label: 'spontaneous reset',
      };
    default:
      return {
        spec: '',
        action: { kind: 'unplug', atMs: Math.floor(random() * 2500), forMs: 300 + Math.floor(random() * 1500) },
        label: 'cable pulled and plugged back',
      };
  }
}
