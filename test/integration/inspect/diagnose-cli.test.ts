/**
 * The built `keyline diagnose` as support runs it remotely: a real process, the platform
 * simulator over HTTP, a simulated unit on a real pty; exit status, human and JSON output, and a
 * scan of everything it printed and wrote for the token and the secrets.
 */
import { execFile, spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Diagnosis } from '../../../common/contract/inspect';
import type { DeviceSimulator } from '../../../simulators/device';
import { addDevice, provision, startBench, type Bench } from './support';

const root = path.resolve(__dirname, '../../..');
const cli = path.join(root, 'dist/cli/keyline.cjs');

let bench: Bench;
let device: DeviceSimulator;
let keyId: string;
const printed: string[] = [];

beforeAll(async () => {
  await promisify(execFile)(process.execPath, ['scripts/build.mjs', '--if-stale'], { cwd: root });
  bench = await startBench();
  device = await addDevice(bench);
  keyId = (await provision(bench, device)).key.id;
}, 180_000);
afterAll(async () => {
  await bench?.close();
});

function keyline(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'diagnose', ...args], {
      cwd: root,
      env: {
        ...process.env,
        HOME: bench.dataDir,
        KEYLINE_DATA_DIR: bench.dataDir,
        KEYLINE_TOKEN: bench.apiToken,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      printed.push(stdout, stderr);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('keyline diagnose (built CLI)', () => {
  it('exits 0 for a healthy unit on a port, in plain words', async () => {
    const { code, stdout, stderr } = await keyline(['--port', device.link, '--api', bench.sim.url]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/No cause found: the device authenticates/);
    expect(stdout).toMatch(/^ok +Access key inactive$/m);
    expect(stdout).toMatch(/Device test: passed \(auth 200, state 200\)/);
  });

  it('exits 1 with the cause and its fix once the key is deactivated', async () => {
    await bench.admin.keys.patch(bench.appId, keyId, { status: 'inactive' });
    const { code, stdout } = await keyline(['--port', device.link, '--api', bench.sim.url]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^One cause found: access key inactive\.$/m);
    expect(stdout).toMatch(/^CAUSE +Access key inactive$/m);
    expect(stdout).toMatch(/Fix: If the key was deactivated by mistake, reactivate it/);
    expect(stdout).toMatch(/refused +Access key is inactive/);
  });

  it('--json gives the Diagnosis for scripts', async () => {
    const { code, stdout } = await keyline(['--port', device.link, '--api', bench.sim.url, '--json', '--no-test']);
    expect(code).toBe(1);
    const diagnosis = Diagnosis.parse(JSON.parse(stdout));
    expect(diagnosis.found).toEqual(['KEY_INACTIVE']);
    expect(diagnosis.deviceTest).toBeNull();
  });

  it('--device ID --app ID: the seeded peripheral cannot connect (exit 1)', async () => {
    const door = bench.sim.seed.devices.find((candidate) => candidate.deviceClass === 'peripheral')!;
    const { code, stdout } = await keyline(['--device', door.id, '--app', bench.appId, '--api', bench.sim.url]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^CAUSE +Device class cannot connect$/m);
    expect(stdout).toMatch(/Fix: Change the device's class to standalone/);
  });

  it('exits 2 on usage errors', async () => {
    expect((await keyline([])).code).toBe(2);
    expect((await keyline(['--port', device.link, '--device', keyId])).code).toBe(2);
    expect((await keyline(['--device', 'not-an-id'])).code).toBe(2);
    const noApi = await keyline(['--device', keyId]);
    expect(noApi.code).toBe(2);
    expect(noApi.stderr).toMatch(/--api is required with KEYLINE_TOKEN/);
  });

  it('exits 3 when no diagnosis can be made: platform unreachable, or nobody signed in', async () => {
    const down = await keyline(['--device', keyId, '--app', bench.appId, '--api', 'http://127.0.0.1:9']);
    expect(down.code).toBe(3);
    expect(down.stderr).toMatch(/\[PLATFORM_UNAVAILABLE\]/);
    const nobody = await keyline(['--device', keyId, '--app', bench.appId], { KEYLINE_TOKEN: '' });
    expect(nobody.code).toBe(3);
    expect(nobody.stderr).toMatch(/No one is signed in on this station.*\[AUTH_SIGNED_OUT\]/);
  });

  it('never prints or stores the token or a secret', async () => {
    const files = await readdir(bench.dataDir, { recursive: true, withFileTypes: true });
    const stored = await Promise.all(
      files.filter((entry) => entry.isFile()).map((entry) => readFile(path.join(entry.parentPath, entry.name), 'utf8')),
    );
    const everything = [...printed, ...stored].join('\n');
    expect(everything).toContain('"action":"diagnose"');
    for (const secret of [bench.apiToken, bench.apiToken.split('.')[2]!, ...bench.secrets]) {
      expect(everything).not.toContain(secret);
    }
  });
});
