import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readJournalRecords, unfinishedIntents, verifyJournal } from '../../../main/provisioning/journal';
import { spawnProvision, usePipelineBench, type Bench } from './harness';

/**
 * The station process SIGKILLed at each step of a run, then started again on the same data
 * directory: the next start reconciles the interrupted run, and no key is left orphaned.
 */
const { platform, startBench } = usePipelineBench();

async function until(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 3));
  }
}

function simEvents(type: string): number {
  return platform.sim.events().filter((event) => event.type === type).length;
}

type Moment = 'identify' | 'resolve' | 'mint' | 'stage' | 'verify' | 'commit' | 'confirm';

/** When to pull the plug, observed from outside as a person with a debugger would. */
function reached(moment: Moment, bench: Bench, baseline: { auths: number }): () => boolean {
  const device = bench.farm.devices[0]!;
  switch (moment) {
    case 'identify':
      return () => existsSync(path.join(bench.dataDir, 'keyline.lock'));
    case 'resolve':
      return () => simEvents('device.created') > 0;
    case 'mint':
      return () => simEvents('key.created') > 0;
    case 'stage':
      return () => device.state().slots.staged !== null;
    case 'verify':
      return () => simEvents('auth.device') > baseline.auths;
    case 'commit':
      return () => device.state().slots.pending;
    case 'confirm':
      return () => device.state().slots.active !== null && !device.state().slots.pending;
  }
}

describe('SIGKILL at each step, then restart', () => {
  it.each<[Moment, string]>([
    ['identify', 'nothing to settle'],
    ['resolve', 'nothing to settle'],
    ['mint', 'revoked-key'],
    ['stage', 'revoked-key'],
    ['verify', 'revoked-key'],
    ['commit', 'kept-key'],
    ['confirm', 'kept-key'],
  ])(
    'killed at %s: the restart reconciles: %s, and leaves no orphan key',
    async (moment, action) => {
      const bench = await startBench(1);
      const device = bench.farm.devices[0]!;
      // A slow unit widens each step so the kill lands inside it.
      device.setFaults('slow=250');
      const args = [
        '--api',
        platform.url,
        '--app',
        platform.seed.applicationId,
        '--port',
        device.link,
        '--json',
        '--data-dir',
        bench.dataDir,
        '--if-provisioned',
        'skip',
      ];
      const env = { KEYLINE_TOKEN: platform.seed.apiToken };
      const first = spawnProvision(args, env);
      const baseline = { auths: simEvents('auth.device') };
      try {
        await until(`the ${moment} step`, reached(moment, bench, baseline));
      } finally {
        first.child.kill('SIGKILL');
        await first.exited;
      }
      bench.outputs.push(first.output().stdout, first.output().stderr);
      device.setFaults('');

      const second = spawnProvision(args, env);
      const code = await second.exited;
      const { stdout, stderr } = second.output();
      bench.outputs.push(stdout, stderr);
      expect([0, 1]).toContain(code);

      const records = [];
      for await (const { record } of readJournalRecords(bench.dataDir)) records.push(record);
      const intents = records.filter((record) => record.kind === 'intent');
      const reconciles = records.filter((record) => record.kind === 'reconcile');
      if (action !== 'nothing to settle') {
        expect(intents.length).toBeGreaterThanOrEqual(1);
        expect(reconciles.map((record) => record.action)).toContain(action);
        expect(stderr).toMatch(new RegExp(`reconciled interrupted run .*: ${action}`));
      }
      expect(await unfinishedIntents(bench.dataDir)).toEqual([]);
      expect((await verifyJournal(bench.dataDir)).intact).toBe(true);
      // The unit ends provisioned, by the restart's own run or by the run the crash interrupted.
      expect(device.state().slots.active).not.toBeNull();
      expect(device.state().slots.pending).toBe(false);
      const { body } = await platform.api<{ items: unknown[] }>(
        'GET',
        `/applications/${platform.seed.applicationId}/devices?tagFilter[0][key]=hwid&tagFilter[0][value]=${device.hwid}`,
      );
      expect(body.items).toHaveLength(1);
    },
    60_000,
  );
});

describe('a device that vanishes right after commit', () => {
  it('leaves the run unresolved with its key active, and the next start settles it once the device answers', async () => {
    const bench = await startBench(1);
    const device = bench.farm.devices[0]!;
    device.setFaults('slow=250');
    const running = bench.provision(['--if-provisioned', 'skip']);
    await until('the commit to take effect', () => device.state().slots.pending);
    await device.unplug();
    const first = await running;
    const line = first.lines[0]!;
    expect(line).toMatchObject({ outcome: 'failed', unresolved: true, error: { code: 'COMMIT_UNCONFIRMED' } });
    const keys = await platform.keys();
    expect(keys.find((key) => key.id === line.keyId)?.status).toBe('active');

    await device.replug();
    await device.whenReady();
    device.setFaults('');
    const second = await bench.provision(['--if-provisioned', 'skip']);
    expect(second.stderr).toMatch(new RegExp(`reconciled interrupted run ${line.runId}: kept-key \\(passed\\)`));
    expect(device.state().slots).toMatchObject({ pending: false, active: { keyId: line.keyId } });
    const records = [];
    for await (const { record } of readJournalRecords(bench.dataDir)) records.push(record);
    expect(records.filter((record) => record.kind === 'reconcile' && record.runId === line.runId)).toHaveLength(1);
  }, 60_000);
});
