/**
 * Found by the soak (docs/reliability.md): a unit whose confirm fails must not be left with its
 * commit pending under a run recorded as passed. On a first provisioning there is no `previous`
 * slot before or after confirm, so only `pending` tells whether confirm took effect. Real parts:
 * the device simulator on a pty (it models `pending`), the platform simulator, `keyline provision`.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { findSecrets, startBench, startPlatform, type Bench, type Platform } from '../provisioning/harness';

let platform: Platform;
let bench: Bench | undefined;

beforeAll(async () => {
  platform = await startPlatform();
});
afterAll(async () => {
  await platform?.close();
});
afterEach(async () => {
  try {
    if (bench) {
      const { active, committed } = await bench.keylineKeys();
      expect(active).toEqual(committed);
      expect(await findSecrets(bench)).toEqual([]);
    }
  } finally {
    await bench?.close();
    bench = undefined;
    await platform.reset();
  }
});

describe('a confirm that does not take effect', () => {
  it('on a first provisioning: the unit is not left pending under a passed run', async () => {
    bench = await startBench(platform, 1);
    const device = bench.farm.devices[0]!;
    device.setFaults('flash-fail=confirm');
    const run = await bench.provision(['--if-provisioned', 'skip']);
    const slots = device.state().slots;
    expect(slots.pending).toBe(false);
    expect(run.lines[0]?.outcome).toBe('failed');
    // Rolled back to what it had before: nothing.
    expect(slots.active).toBeNull();
  });

  it('whose reply was lost but which took effect: passed, with a note', async () => {
    bench = await startBench(platform, 1);
    const device = bench.farm.devices[0]!;
    device.setFaults('reboot-after=confirm');
    const run = await bench.provision(['--if-provisioned', 'skip']);
    expect(run.lines[0]).toMatchObject({ outcome: 'passed' });
    expect(device.state().slots).toMatchObject({ pending: false, active: { keyId: run.lines[0]!.keyId } });
  });
});
