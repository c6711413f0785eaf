import { lstat, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type SerialError, SerialLink } from '../../../main/serial';
import { SecretRedactor } from '../../../main/security/secret-redactor';
import type { DeviceState } from '../../../simulators/device';
import { startProcess, type StartedProcess } from '../../helpers/process';
import { credentials, sleep } from './harness';

const root = path.resolve(__dirname, '../../..');
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
let dir: string;
let sim: StartedProcess | undefined;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'keyline-sim-cli-'));
});
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function control(url: string, method: string, route: string, body?: string): Promise<DeviceState> {
  const response = await fetch(`${url}${route}`, { method, body });
  expect(response.status).toBe(200);
  return (await response.json()) as DeviceState;
}

async function openWhenBooted(link: string): Promise<SerialLink> {
  const opened = await SerialLink.open({ path: link, redactor: new SecretRedactor() });
  // The device may be mid-boot: hello retries through a boot event.
  await opened.client.hello();
  return opened;
}

describe('npm run device-sim', () => {
  it('runs a device in its own process, survives the station going away, and takes faults over HTTP', async () => {
    const link = path.join(dir, 'ttyKL0');
    const state = path.join(dir, 'flash.json');
    sim = await startProcess(
      tsx,
      ['simulators/device/cli.ts', '--link', link, '--hwid', 'KL-CLI-1', '--model', 'KL-X', '--state', state],
      { cwd: root, ready: /device-sim ready: 1 device\(s\), control (http:\/\/127\.0\.0\.1:\d+)/ },
    );
    const url = sim.ready[1]!;
    expect(sim.output()).toContain(`KL-X KL-CLI-1 at ${link}`);

    let station = await openWhenBooted(link);
    const creds = credentials('http://127.0.0.1:9');
    const { fingerprint } = await station.client.stage(creds);
    await station.close(); // the station "crashes"; the device keeps running

    station = await openWhenBooted(link);
    expect((await station.client.hello()).slots.staged?.fp).toBe(fingerprint.slice(0, 16));

    expect((await control(url, 'PUT', '/devices/KL-CLI-1/faults', 'flash-fail=commit')).faults).toBe(
      'flash-fail=commit',
    );
    const refused = await station.client.commit().catch((error: unknown) => error as SerialError);
    expect(refused).toMatchObject({ code: 'SERIAL_DEVICE_ERROR', deviceCode: 'FLASH_WRITE_FAILED' });
    await control(url, 'PUT', '/devices/0/faults', JSON.stringify({ faults: '' }));
    expect((await station.client.commit()).active?.deviceId).toBe(creds.deviceId);

    const seen = await control(url, 'GET', '/devices/0');
    expect(seen).toMatchObject({ hwid: 'KL-CLI-1', plugged: true, slots: { pending: true } });
    expect(JSON.stringify(seen)).not.toContain(creds.secret);
    expect(JSON.parse(await readFile(state, 'utf8'))).toMatchObject({ table: { pending: true } });

    // Unplugged from the outside while the station waits on a slow reply.
    await control(url, 'PUT', '/devices/0/faults', 'slow=5000');
    const waiting = station.client.confirm().catch((error: unknown) => error as SerialError);
    await sleep(100);
    await control(url, 'POST', '/devices/0/unplug');
    expect(await waiting).toMatchObject({ code: 'SERIAL_DEVICE_GONE' });
    await control(url, 'PUT', '/devices/0/faults', '');
    expect((await control(url, 'POST', '/devices/0/replug')).plugged).toBe(true);
    station = await openWhenBooted(link);
    expect((await station.client.hello()).boots).toBe(2);
    await station.close();

    const bad = await fetch(`${url}/devices/0/faults`, { method: 'PUT', body: 'gremlins' });
    expect(bad.status).toBe(400);
  });

  it('starts a farm of devices with one control endpoint', async () => {
    sim = await startProcess(
      tsx,
      ['simulators/device/cli.ts', '--count', '3', '--link', dir, '--hwid', 'FARM-', '--chatter', '0'],
      {
        cwd: root,
        ready: /device-sim ready: 3 device\(s\), control (http:\/\/127\.0\.0\.1:\d+)/,
      },
    );
    const devices = (await (await fetch(`${sim.ready[1]!}/devices`)).json()) as DeviceState[];
    expect(devices.map((device) => [device.hwid, path.basename(device.link)])).toEqual([
      ['FARM-0000', 'tty0'],
      ['FARM-0001', 'tty1'],
      ['FARM-0002', 'tty2'],
    ]);
    const station = await openWhenBooted(path.join(dir, 'tty2'));
    expect((await station.client.hello()).hwid).toBe('FARM-0002');
    await station.close();
  });

  it('takes its pseudo-terminals along when it is killed outright', async () => {
    const link = path.join(dir, 'ttyKILL');
    // node itself (not the tsx wrapper), so SIGKILL hits the simulator process.
    sim = await startProcess(process.execPath, ['--import', 'tsx', 'simulators/device/cli.ts', '--link', link], {
      cwd: root,
      ready: /device-sim ready/,
    });
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    sim.child.kill('SIGKILL');
    let gone = false;
    for (let waited = 0; !gone && waited < 5000; waited += 50) {
      await sleep(50);
      gone = await lstat(link).then(
        () => false,
        () => true,
      );
    }
    expect(gone).toBe(true);
  });
});
