import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli/keyline';
import { HistoryService } from '../../../main/station';
import { SecretRedactor } from '../../../main/security/secret-redactor';
import { findSecrets, startBench, startPlatform, type Bench, type Platform } from '../provisioning/harness';

interface Device {
  id: string;
  tags: Array<{ key: string; value: string }>;
}

async function keyline(args: string[], bench: Bench): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    env: { KEYLINE_TOKEN: bench.platform.seed.apiToken },
    stdin: new PassThrough(),
    isTTY: false,
  });
  bench.outputs.push(stdout, stderr);
  return { code, stdout, stderr };
}

describe('keyline decommission --port PATH (real ptys, device and platform simulators)', () => {
  let platform: Platform;
  let bench: Bench;
  /** The unit the first test leaves provisioned (lines come in completion order, not port order). */
  let remainingPort: string | undefined;

  beforeAll(async () => {
    platform = await startPlatform();
    bench = await startBench(platform, 2);
  });

  afterAll(async () => {
    await bench?.close();
    await platform?.close();
  });

  it('wipes the unit, deletes its own key, untags its platform device and journals it', async () => {
    const provisioned = await bench.provision();
    expect(provisioned.lines.map((line) => line.outcome)).toEqual(['passed', 'passed']);
    const [first, second] = provisioned.lines;
    remainingPort = second!.port;
    const app = platform.seed.applicationId;

    const { code, stdout } = await keyline(
      [
        'decommission',
        '--port',
        first!.port,
        '--api',
        platform.url,
        '--app',
        app,
        '--data-dir',
        bench.dataDir,
        '--json',
        '--work-order',
        'WO-RETURN-9',
      ],
      bench,
    );
    expect(code).toBe(0);
    const result = JSON.parse(stdout.trim()) as {
      outcome: string;
      deletedKeyIds: string[];
      steps: Array<{ step: string; status: string }>;
    };
    expect(result.outcome).toBe('passed');
    expect(result.deletedKeyIds).toEqual([first!.keyId]);
    expect(result.steps.map((step) => `${step.step}:${step.status}`)).toEqual([
      'identify:passed',
      'find:passed',
      'wipe:passed',
      'delete-keys:passed',
      'platform-device:passed',
      'record:passed',
    ]);

    // The unit holds nothing; its key is gone; the device stays, without its hwid tag.
    const unit = bench.farm.devices.find((device) => device.link === first!.port)!;
    expect(unit.state().slots).toMatchObject({ active: null, staged: null, previous: null });
    expect((await platform.keys()).map((key) => key.id)).not.toContain(first!.keyId);
    const device = (await platform.api<Device>('GET', `/applications/${app}/devices/${first!.deviceId}`)).body;
    expect(device.tags.some((tag) => tag.key === 'hwid')).toBe(false);
    expect(device.tags.some((tag) => tag.key === 'decommissioned')).toBe(true);

    // The other unit is untouched.
    expect((await platform.keys()).find((key) => key.id === second!.keyId)?.status).toBe('active');

    // History shows it, with its work order.
    const history = await new HistoryService({ dataDir: bench.dataDir, redactor: new SecretRedactor() }).list({
      search: 'decommission',
    });
    expect(history.rows).toHaveLength(1);
    expect(history.rows[0]).toMatchObject({ outcome: 'passed', workOrder: 'WO-RETURN-9', hwid: first!.hwid });
    expect(await findSecrets(bench)).toEqual([]);
  });

  it('deletes the platform device with --delete-device, and says so', async () => {
    const app = platform.seed.applicationId;
    const port = remainingPort!;
    expect(port).toBeDefined();
    const { code, stdout } = await keyline(
      [
        'decommission',
        '--port',
        port,
        '--delete-device',
        '--api',
        platform.url,
        '--app',
        app,
        '--data-dir',
        bench.dataDir,
      ],
      bench,
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(/passed\s+platform-device: Deleted platform device [0-9a-f]{24}/);
    const deviceId = /Deleted platform device ([0-9a-f]{24})/.exec(stdout)![1]!;
    expect((await platform.api('GET', `/applications/${app}/devices/${deviceId}`)).status).toBe(404);
  });

  it('refuses without a port, with the usage', async () => {
    const { code, stderr } = await keyline(['decommission', '--api', platform.url], bench);
    expect(code).toBe(2);
    expect(stderr).toContain('--port is required');
  });
});
