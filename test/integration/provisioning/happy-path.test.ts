import { describe, expect, it } from 'vitest';
import { readJournalRecords, verifyJournal } from '../../../main/provisioning/journal';
import { usePipelineBench } from './harness';

const { platform, startBench } = usePipelineBench();

interface Device {
  id: string;
  name: string;
  deviceClass: string;
  tags: Array<{ key: string; value: string }>;
}

describe('keyline provision, happy path through real parts', () => {
  it('provisions one device: JSON line, restricted key, tagged device, journal', async () => {
    const bench = await startBench(1);
    const run = await bench.provision();
    expect(run.stderr).toMatch(/1 passed, 0 failed, 0 skipped/);
    expect(run.code).toBe(0);
    expect(run.lines).toHaveLength(1);
    const [line] = run.lines;
    const device = bench.farm.devices[0]!;
    expect(line).toMatchObject({ port: device.link, hwid: device.hwid, outcome: 'passed', devicePathProven: true });
    expect(line!.ms).toBeGreaterThan(0);
    expect(line!.deviceId).toMatch(/^[0-9a-f]{24}$/);
    expect(line!.keyId).toMatch(/^[0-9a-f]{24}$/);

    const state = device.state();
    expect(state.slots.active).toMatchObject({ deviceId: line!.deviceId, keyId: line!.keyId });
    expect(state.slots.staged).toBeNull();
    expect(state.slots.pending).toBe(false);

    const { body: key } = await platform.api<{ name: string; deviceIds: string[]; status: string }>(
      'GET',
      `/applications/${platform.seed.applicationId}/keys/${line!.keyId}`,
    );
    expect(key).toMatchObject({ name: `keyline-${line!.runId}`, deviceIds: [line!.deviceId], status: 'active' });
    const { body: created } = await platform.api<Device>(
      'GET',
      `/applications/${platform.seed.applicationId}/devices/${line!.deviceId}`,
    );
    expect(created.deviceClass).toBe('standalone');
    expect(created.tags).toEqual(
      expect.arrayContaining([
        { key: 'hwid', value: device.hwid },
        { key: 'model', value: state.model },
        { key: 'firmware', value: state.fw },
      ]),
    );
    expect(created.name).toBe(`${state.model}-${device.hwid}`);

    const { body: composite } = await platform.api<Record<string, { value: unknown }>>(
      'GET',
      `/applications/${platform.seed.applicationId}/devices/${line!.deviceId}/compositeState`,
    );
    expect(typeof composite['keylineNonce']?.value).toBe('string');

    const kinds: string[] = [];
    for await (const { record } of readJournalRecords(bench.dataDir))
      kinds.push(`${record.kind}:${'runId' in record ? record.runId : ''}`);
    expect(kinds).toEqual(
      expect.arrayContaining([`intent:${line!.runId}`, `step:${line!.runId}`, `outcome:${line!.runId}`]),
    );
    expect((await verifyJournal(bench.dataDir)).intact).toBe(true);
  });

  it('provisions eight devices in parallel, each with its own key', async () => {
    const bench = await startBench(8);
    const run = await bench.provision();
    expect(run.stderr).toMatch(/8 passed, 0 failed, 0 skipped/);
    expect(run.code).toBe(0);
    expect(run.lines.map((line) => line.outcome)).toEqual(Array(8).fill('passed'));
    expect(new Set(run.lines.map((line) => line.keyId)).size).toBe(8);
    expect(new Set(run.lines.map((line) => line.deviceId)).size).toBe(8);
    expect(run.lines.map((line) => line.hwid).sort()).toEqual(bench.farm.devices.map((device) => device.hwid).sort());
  });

  it('a second run on provisioned devices skips them by policy, and exits non-zero', async () => {
    const bench = await startBench(2);
    expect((await bench.provision()).code).toBe(0);
    const again = await bench.provision(['--if-provisioned', 'skip']);
    expect(again.code).toBe(1);
    expect(again.lines.map((line) => line.outcome)).toEqual(['skipped', 'skipped']);
    expect(again.lines[0]?.error?.code).toBe('DEVICE_ALREADY_PROVISIONED');
  });

  it('verifies in station mode and says the device path was not proven', async () => {
    const bench = await startBench(1);
    const run = await bench.provision(['--verify', 'station']);
    expect(run.code).toBe(0);
    expect(run.lines[0]).toMatchObject({ outcome: 'passed', devicePathProven: false });
  });
});
