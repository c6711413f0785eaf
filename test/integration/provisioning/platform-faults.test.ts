import { describe, expect, it } from 'vitest';
import { unfinishedIntents } from '../../../main/provisioning/journal';
import { usePipelineBench } from './harness';

/**
 * Faults of the platform simulator (`POST /__sim/faults`: error statuses, dropped connections,
 * latency, on chosen routes for N calls) give the outcomes docs/provisioning.md documents.
 */
const { platform, startBench } = usePipelineBench();

const APP = '/applications/*';

async function provisionWith(
  faults: Array<Record<string, unknown>>,
  options: { devices?: number; args?: string[] } = {},
) {
  const bench = await startBench(options.devices ?? 1);
  for (const fault of faults) await platform.fault(fault);
  const run = await bench.provision(options.args ?? []);
  return { run, line: run.lines[0]!, bench };
}

async function keylineKeysOf(runId: string | null) {
  return (await platform.keys()).filter((key) => key.name === `keyline-${runId}`);
}

describe('platform faults', () => {
  it.each([
    ['503 twice on the device lookup', { method: 'GET', path: `${APP}/devices`, status: 503, times: 2 }],
    ['a dropped connection on the device lookup', { method: 'GET', path: `${APP}/devices`, drop: true, times: 1 }],
    [
      '503 on the composite state read',
      { method: 'GET', path: `${APP}/devices/*/compositeState`, status: 503, times: 2 },
    ],
    ['429 on the key lookup of a read', { method: 'GET', path: `${APP}/devices`, status: 429, times: 1 }],
    ['100 ms latency on every call', { path: '/**', latencyMs: 100, times: 1000 }],
  ])('%s: reads are retried and the lane passes', async (_what, fault) => {
    const { run, line } = await provisionWith([fault]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(line.outcome).toBe('passed');
  });

  it.each([
    ['a dropped key creation', { method: 'POST', path: `${APP}/keys`, drop: true, times: 1 }],
    ['a 500 on key creation', { method: 'POST', path: `${APP}/keys`, status: 500, times: 1 }],
    ['a dropped device creation', { method: 'POST', path: `${APP}/devices`, drop: true, times: 1 }],
  ])('%s is not retried blindly: looked up first, then made once, and the lane passes', async (_what, fault) => {
    const { run, line } = await provisionWith([fault]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(await keylineKeysOf(line.runId)).toHaveLength(1);
    const { body } = await platform.api<{ items: unknown[] }>(
      'GET',
      `/applications/${platform.seed.applicationId}/devices?tagFilter[0][key]=hwid&tagFilter[0][value]=${line.hwid}`,
    );
    expect(body.items).toHaveLength(1);
  });

  it('a platform down for good fails the lane before any key is made', async () => {
    const { line, bench } = await provisionWith([{ method: 'GET', path: `${APP}/devices`, status: 503, times: 100 }]);
    expect(line).toMatchObject({ outcome: 'failed', error: { code: 'PLATFORM_UNAVAILABLE' }, keyId: null });
    expect(await unfinishedIntents(bench.dataDir)).toEqual([]);
  });

  it('403 on key creation fails with the reason and leaves nothing', async () => {
    const { line } = await provisionWith([{ method: 'POST', path: `${APP}/keys`, status: 403, times: 1 }]);
    expect(line).toMatchObject({ outcome: 'failed', error: { code: 'PLATFORM_FORBIDDEN' } });
    expect(await keylineKeysOf(line.runId)).toHaveLength(0);
  });

  it('401 on a call with a static API token fails the lane, naming the token', async () => {
    const { line } = await provisionWith([{ method: 'GET', path: `${APP}/devices`, status: 401, times: 100 }]);
    expect(line).toMatchObject({ outcome: 'failed', error: { code: 'PLATFORM_UNAUTHORIZED' } });
  });

  it("401 on the device's own login fails verification and revokes the key", async () => {
    const { line } = await provisionWith([{ method: 'POST', path: '/auth/device', status: 401, times: 1 }]);
    expect(line).toMatchObject({ outcome: 'failed', error: { code: 'VERIFY_AUTH_FAILED' } });
    expect((await keylineKeysOf(line.runId)).filter((key) => key.status === 'active')).toHaveLength(0);
  });

  it("429 on the device's state report, twice, fails verification with advice to wait", async () => {
    // One 429 is tested again and passes (transient-retries.test.ts); a second one fails the lane.
    const { line } = await provisionWith([{ method: 'POST', path: `${APP}/devices/*/state`, status: 429, times: 2 }]);
    expect(line).toMatchObject({ outcome: 'failed', error: { code: 'VERIFY_REPORT_FAILED' } });
    expect(line.error!.message).toMatch(/wait/);
  });

  it('a key that cannot be revoked now is revoked by the next start', async () => {
    const bench = await startBench(1);
    bench.farm.devices[0]!.setFaults('no-network');
    for (const method of ['DELETE', 'PATCH']) {
      await platform.fault({ method, path: `${APP}/keys/*`, status: 503, times: 1000 });
    }
    const first = await bench.provision();
    const line = first.lines[0]!;
    expect(line).toMatchObject({ outcome: 'failed', error: { code: 'VERIFY_NO_NETWORK' } });
    expect(line.notes?.join(' ')).toMatch(/next start/);
    expect((await keylineKeysOf(line.runId))[0]?.status).toBe('active');
    expect(await unfinishedIntents(bench.dataDir)).toHaveLength(1);

    await platform.api('DELETE', '/__sim/faults');
    bench.farm.devices[0]!.setFaults('');
    const second = await bench.provision();
    expect(second.stderr).toMatch(new RegExp(`reconciled interrupted run ${line.runId}: revoked-key`));
    expect(second.lines[0]?.outcome).toBe('passed');
    expect(await keylineKeysOf(line.runId)).toHaveLength(0);
    expect(await unfinishedIntents(bench.dataDir)).toEqual([]);
  }, 60_000);
});
