import { execFile } from 'node:child_process';
import { mkdtemp, rm, symlink, unlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  discoverPorts,
  PortWatcher,
  SerialLink,
  type DiscoveredPort,
  type DiscoveryResult,
} from '../../../main/serial';
import { SecretRedactor } from '../../../main/security/secret-redactor';
import { startDeviceSimulator, type DeviceSimulator } from '../../../simulators/device';
import { sleep } from './harness';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../../..');
let dir: string;
const devices: DeviceSimulator[] = [];

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'keyline-ports-'));
});
afterEach(async () => {
  await Promise.all(devices.splice(0).map((device) => device.close()));
  await rm(dir, { recursive: true, force: true });
});

describe('port discovery on this machine', () => {
  it('falls back to its own scan when udevadm is missing, and still offers the pty the user added', async () => {
    const device = await startDeviceSimulator({ link: path.join(dir, 'bench-1'), bootMs: 20, chatterMs: 0 });
    devices.push(device);
    // A PATH without udevadm: SerialPort.list() fails in the child as it does in a container.
    const emptyPath = await mkdtemp(path.join(os.tmpdir(), 'keyline-nopath-'));
    try {
      const { stdout } = await run(
        process.execPath,
        ['--import', 'tsx', path.join(__dirname, 'fixtures', 'discover.ts'), dir],
        { cwd: root, env: { ...process.env, PATH: emptyPath } },
      );
      const result = JSON.parse(stdout) as DiscoveryResult;
      expect(result.method).toBe('scan');
      expect(result.listError).toMatch(/udevadm/);
      expect(result.ports).toContainEqual(
        expect.objectContaining({ path: device.link, source: 'user', laneKey: `path:${device.link}` }),
      );
      expect(result.ports.find((port) => port.path === device.link)!.realPath).toMatch(/^\/dev\/pts\/\d+$/);
    } finally {
      await rm(emptyPath, { recursive: true, force: true });
    }
  });

  it('uses SerialPort.list() where it works, and filters what is not a USB adapter with the reason', async () => {
    const result = await discoverPorts();
    expect(result.method).toBe('list');
    for (const filtered of result.filtered) expect(filtered.reason.length).toBeGreaterThan(10);
    for (const port of result.ports) expect(port.family ?? port.source).toBeTruthy();
  });
});

describe('hot-plug', () => {
  it('reports a device arriving, leaving when unplugged, and arriving again on a new pty when re-plugged', async () => {
    const watcher = new PortWatcher({ discover: () => discoverPorts({ userDirs: [dir] }), intervalMs: 100 });
    const events: Array<{ kind: 'arrived' | 'left'; port: DiscoveredPort }> = [];
    watcher.on('arrived', (port) => events.push({ kind: 'arrived', port }));
    watcher.on('left', (port) => events.push({ kind: 'left', port }));
    watcher.start();
    try {
      const until = async (count: number) => {
        for (let waited = 0; events.length < count && waited < 5000; waited += 20) await sleep(20);
        return events.map((event) => `${event.kind} ${path.basename(event.port.path)}`);
      };
      await sleep(250);
      expect(events).toEqual([]);

      const device = await startDeviceSimulator({ link: path.join(dir, 'tty-a'), bootMs: 20, chatterMs: 0 });
      devices.push(device);
      expect(await until(1)).toEqual(['arrived tty-a']);

      // The station can open what discovery found.
      const link = await SerialLink.open({ path: events[0]!.port.path, redactor: new SecretRedactor() });
      await device.whenReady();
      expect((await link.client.hello()).hwid).toBe(device.hwid);
      await link.close();

      await device.unplug();
      expect(await until(2)).toEqual(['arrived tty-a', 'left tty-a']);
      await device.replug();
      expect(await until(3)).toEqual(['arrived tty-a', 'left tty-a', 'arrived tty-a']);
      // Same link, same lane; the kernel may even hand out the same pts number again.
      expect(events[2]!.port.laneKey).toBe(events[0]!.port.laneKey);
      expect(events[2]!.port.realPath).toMatch(/^\/dev\/pts\/\d+$/);

      // A symlink added by hand to a pty arrives too, and leaves when removed. (An alias of a port
      // already offered is not a second port.)
      const other = await startDeviceSimulator({ bootMs: 20, chatterMs: 0 });
      devices.push(other);
      const alias = path.join(dir, 'tty-b');
      await symlink(other.link, alias);
      expect(await until(4)).toEqual(['arrived tty-a', 'left tty-a', 'arrived tty-a', 'arrived tty-b']);
      await symlink(alias, path.join(dir, 'tty-c'));
      await sleep(300);
      expect(events).toHaveLength(4);
      await unlink(path.join(dir, 'tty-c'));
      await unlink(alias);
      expect(await until(5)).toEqual(['arrived tty-a', 'left tty-a', 'arrived tty-a', 'arrived tty-b', 'left tty-b']);
    } finally {
      await watcher.stop();
    }
  });
});
