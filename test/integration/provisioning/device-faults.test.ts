import { describe, expect, it } from 'vitest';
import { usePipelineBench } from './harness';

/**
 * Every fault of the device simulator (simulators/device/faults.ts) gives the outcome
 * docs/provisioning.md documents, and leaves no orphan key and no secret behind.
 */
const { platform, startBench } = usePipelineBench();

async function withFault(faults: string, args: string[] = []) {
  const bench = await startBench(1);
  const device = bench.farm.devices[0]!;
  device.setFaults(faults);
  const run = await bench.provision(args);
  return { run, line: run.lines[0]!, device };
}

describe('device faults', () => {
  it.each([
    ['flash-fail=stage', 'STAGE_FAILED'],
    ['flash-fail=commit', 'COMMIT_FAILED'],
    ['no-network', 'VERIFY_NO_NETWORK'],
    ['wrong-clock', 'VERIFY_CLOCK_INVALID'],
  ])('%s fails the lane with %s, revokes the key and leaves the device as it was', async (faults, code) => {
    const { run, line, device } = await withFault(faults);
    expect(run.code).toBe(1);
    expect(line).toMatchObject({ outcome: 'failed', error: { code } });
    expect(line.error!.message.length).toBeGreaterThan(30);
    expect(device.state().slots.active).toBeNull();
    const keys = await platform.keys();
    expect(keys.find((key) => key.id === line.keyId)).toBeUndefined();
  });

  it('old-protocol fails at identify with the versions named, before any key', async () => {
    const { line } = await withFault('old-protocol');
    expect(line).toMatchObject({ outcome: 'failed', error: { code: 'SERIAL_PROTOCOL_UNSUPPORTED' }, keyId: null });
    expect(line.error!.message).toMatch(/0/);
  });

  it('mute fails at identify with a timeout, before any key', async () => {
    const { line } = await withFault('mute');
    expect(line).toMatchObject({ outcome: 'failed', keyId: null });
    expect(line.error!.code).toMatch(/SERIAL_TIMEOUT|STEP_TIMEOUT/);
  });

  it.each(['reboot-during=stage', 'reboot-after=stage', 'reboot-after=confirm', 'slow=150', 'reboot-during=hello'])(
    '%s is absorbed: the lane passes',
    async (faults) => {
      const { run, line, device } = await withFault(faults);
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(line.outcome).toBe('passed');
      expect(device.state().slots.active?.keyId).toBe(line.keyId);
    },
  );

  it('a lost commit reply (reboot after commit) is settled by hello: the device runs on the new key', async () => {
    const { run, line, device } = await withFault('reboot-after=commit');
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(line.outcome).toBe('passed');
    expect(line.notes?.join(' ')).toMatch(/commit was lost/);
    expect(device.state().slots).toMatchObject({ pending: false, previous: null, active: { keyId: line.keyId } });
  });

  it('a reset during commit is settled by hello and committed once more', async () => {
    const { run, line, device } = await withFault('reboot-during=commit');
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(line.notes?.join(' ')).toMatch(/committed again/);
    expect(device.state().slots.active?.keyId).toBe(line.keyId);
  });

  it.each(['corrupt=0.2,seed=7', 'drop=0.2,seed=11'])(
    '%s: the lane passes or fails with a serial error, never leaving a key behind',
    async (faults) => {
      const { line } = await withFault(faults);
      if (line.outcome !== 'passed') expect(line.error?.code).toMatch(/^(SERIAL_|STEP_TIMEOUT|COMMIT_|STAGE_)/);
    },
  );

  it('leak-secrets: the device prints its credentials, the station shows them redacted', async () => {
    const { run, line } = await withFault('leak-secrets', ['--device-log']);
    expect(line.outcome).toBe('passed');
    expect(run.stderr).toMatch(/\[REDACTED\]/);
  });

  it('an unplugged device fails its own lane only', async () => {
    const bench = await startBench(3);
    const victim = bench.farm.devices[1]!;
    victim.setFaults('slow=400');
    const running = bench.provision();
    await new Promise((resolve) => setTimeout(resolve, 600));
    await victim.unplug();
    const run = await running;
    expect(run.code).toBe(1);
    const byPort = new Map(run.lines.map((line) => [line.port, line]));
    expect(byPort.get(victim.link)?.outcome).toBe('failed');
    expect(byPort.get(victim.link)?.error?.code).toMatch(/SERIAL_|DEVICE_|STEP_TIMEOUT/);
    for (const other of [bench.farm.devices[0]!, bench.farm.devices[2]!]) {
      expect(byPort.get(other.link)?.outcome).toBe('passed');
    }
    await victim.replug();
  });
});
