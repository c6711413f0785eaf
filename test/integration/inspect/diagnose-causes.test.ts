/**
 * "Why can't this device connect?" through the real parts: each cause is built in the platform
 * simulator and, where it needs a device, in a simulated unit on a real pty; the diagnosis must
 * name that cause (and not blame the others).
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CauseCode, Diagnosis } from '../../../common/contract/inspect';
import {
  addDevice,
  createKey,
  createPlatformDevice,
  fingerprint,
  journalProvisioned,
  provision,
  startBench,
  writeCredentials,
  type Bench,
} from './support';

let bench: Bench;

beforeAll(async () => {
  bench = await startBench();
}, 30_000);
afterAll(async () => {
  await bench?.close();
});

function status(diagnosis: Diagnosis, cause: CauseCode) {
  return diagnosis.checks.find((item) => item.cause === cause)?.status;
}

function only(diagnosis: Diagnosis, ...causes: CauseCode[]) {
  expect(diagnosis.verdict).toBe('causesFound');
  expect([...diagnosis.found].sort()).toEqual([...causes].sort());
}

describe('diagnosis of a device on a serial port', () => {
  it('finds no cause for a healthy unit: its own test login passes', async () => {
    const device = await addDevice(bench);
    const { platformDevice, key } = await provision(bench, device);
    const diagnosis = await bench.service().diagnose({ port: device.link });
    expect(diagnosis.verdict).toBe('noCauseFound');
    expect(diagnosis.found).toEqual([]);
    expect(diagnosis.deviceTest).toMatchObject({ passed: true });
    expect(diagnosis.summary).toMatch(/authenticates/);
    expect(diagnosis.subject).toMatchObject({ deviceId: platformDevice.id, accessKeyId: key.id, hwid: device.hwid });
    expect(diagnosis.checks.every((item) => item.status === 'clear')).toBe(true);
    expect(diagnosis.journaled).toBe(true);
  });

  it('names a unit without credentials', async () => {
    const device = await addDevice(bench);
    const diagnosis = await bench.service().diagnose({ port: device.link });
    only(diagnosis, 'NO_CREDENTIALS');
    expect(diagnosis.notes.join(' ')).toMatch(/no active credentials to test/);
  });

  it('device class cannot connect: a peripheral gets "Device not allowed to connect"', async () => {
    const device = await addDevice(bench);
    const { platformDevice } = await provision(bench, device);
    await bench.admin.devices.patch(bench.appId, platformDevice.id, { deviceClass: 'peripheral' });
    const diagnosis = await bench.service().diagnose({ port: device.link });
    only(diagnosis, 'DEVICE_CLASS_CANNOT_CONNECT');
    const check = diagnosis.checks.find((item) => item.cause === 'DEVICE_CLASS_CANNOT_CONNECT')!;
    expect(check.finding).toMatch(/peripheral/);
    expect(check.evidence.join(' ')).toMatch(/Device not allowed to connect/);
    expect(check.fix).toMatch(/standalone/);
    expect(diagnosis.deviceTest).toMatchObject({ passed: false, failure: 'AUTH_REJECTED' });
    expect(status(diagnosis, 'SECRET_MISMATCH')).not.toBe('holds');
  });

  it('key inactive: deactivated on the platform', async () => {
    const device = await addDevice(bench);
    const { key } = await provision(bench, device);
    await bench.admin.keys.patch(bench.appId, key.id, { status: 'inactive' });
    const diagnosis = await bench.service().diagnose({ port: device.link });
    only(diagnosis, 'KEY_INACTIVE');
    expect(diagnosis.checks[0]!.fix).toMatch(/reactivate/i);
  });

  it('key deleted', async () => {
    const device = await addDevice(bench);
    const { key } = await provision(bench, device);
    await bench.admin.keys.delete(bench.appId, key.id);
    const diagnosis = await bench.service().diagnose({ port: device.link });
    only(diagnosis, 'KEY_DELETED');
    expect(diagnosis.checks[0]!.finding).toMatch(/deleted/);
  });

  it('key restricted to other devices', async () => {
    const device = await addDevice(bench);
    const mine = await createPlatformDevice(bench, device.hwid);
    const other = await createPlatformDevice(bench, `OTHER-${device.hwid}`);
    const key = await createKey(bench, [other.id]);
    await writeCredentials(bench, device, { deviceId: mine.id, key: key.key, keyId: key.id, secret: key.secret });
    const diagnosis = await bench.service().diagnose({ port: device.link });
    only(diagnosis, 'KEY_RESTRICTED_TO_OTHER_DEVICES');
    expect(diagnosis.checks[0]!.finding).toContain(`Only device ${other.id}`);
    expect(diagnosis.checks[0]!.evidence.join(' ')).toMatch(/does not allow this device/);
  });

  it('device id on the device differs from the platform (it even connects, as the wrong device)', async () => {
    const device = await addDevice(bench);
    const right = await createPlatformDevice(bench, device.hwid);
    const wrong = await createPlatformDevice(bench, `NEIGHBOUR-${device.hwid}`);
    const key = await createKey(bench, [wrong.id]);
    await writeCredentials(bench, device, { deviceId: wrong.id, key: key.key, keyId: key.id, secret: key.secret });
    const diagnosis = await bench.service().diagnose({ port: device.link });
    only(diagnosis, 'DEVICE_ID_MISMATCH');
    expect(diagnosis.checks[0]!.finding).toContain(right.id);
    expect(diagnosis.checks[0]!.finding).toContain(wrong.id);
  });

  it('secret mismatch: the fingerprint differs from what Keyline journaled, and the test login gets 401', async () => {
    const device = await addDevice(bench);
    const platformDevice = await createPlatformDevice(bench, device.hwid);
    const key = await createKey(bench, [platformDevice.id]);
    await journalProvisioned(bench, {
      deviceId: platformDevice.id,
      keyId: key.id,
      hwid: device.hwid,
      fingerprint: fingerprint(key.key, key.secret),
    });
    const wrongSecret = `not-the-secret-${key.secret.slice(0, 8)}x`;
    bench.secrets.push(wrongSecret);
    await writeCredentials(bench, device, {
      deviceId: platformDevice.id,
      key: key.key,
      keyId: key.id,
      secret: wrongSecret,
    });
    const diagnosis = await bench.service().diagnose({ port: device.link });
    only(diagnosis, 'SECRET_MISMATCH');
    const evidence = diagnosis.checks[0]!.evidence.join(' ');
    expect(evidence).toMatch(/fingerprint .* differs from the one Keyline wrote/);
    expect(evidence).toMatch(/refused \(401\) although its key is active/);
    expect(evidence).toMatch(/Access secret does not match the access key/);
  });

  it('secret mismatch without a journal: the test login gets 401 while everything else is right', async () => {
    const device = await addDevice(bench);
    const { key } = await provision(bench, device, { secret: `wrong-${Date.now()}-secret` });
    const diagnosis = await bench.service().diagnose({ port: device.link });
    only(diagnosis, 'SECRET_MISMATCH');
    expect(diagnosis.subject.accessKeyId).toBe(key.id);
    expect(diagnosis.checks[0]!.evidence.join(' ')).not.toMatch(/fingerprint/);
  });

  it('device deleted on the platform', async () => {
    const device = await addDevice(bench);
    const { platformDevice } = await provision(bench, device);
    await bench.admin.devices.delete(bench.appId, platformDevice.id);
    const diagnosis = await bench.service().diagnose({ port: device.link });
    expect(diagnosis.found).toContain('DEVICE_DELETED');
    expect(diagnosis.found).not.toContain('SECRET_MISMATCH');
    expect(diagnosis.checks[0]!.finding).toContain(platformDevice.id);
  });

  it('clock far off: the unit never set its clock', async () => {
    const device = await addDevice(bench, { faults: 'wrong-clock' });
    await provision(bench, device);
    const diagnosis = await bench.service().diagnose({ port: device.link });
    only(diagnosis, 'CLOCK_FAR_OFF');
    expect(diagnosis.checks[0]!.finding).toMatch(/not set: it says 2000-01-01/);
    expect(diagnosis.checks[0]!.evidence.join(' ')).toMatch(/CLOCK_INVALID/);
    expect(status(diagnosis, 'PLATFORM_UNREACHABLE_FROM_DEVICE')).toBe('unknown');
  });

  it('platform unreachable from the device: no network', async () => {
    const device = await addDevice(bench, { faults: 'no-network' });
    await provision(bench, device);
    const diagnosis = await bench.service().diagnose({ port: device.link });
    only(diagnosis, 'PLATFORM_UNREACHABLE_FROM_DEVICE');
    expect(diagnosis.checks[0]!.finding).toMatch(/no network link/);
  });

  it('platform unreachable from the device: the API URL it holds refuses connections', async () => {
    const device = await addDevice(bench);
    const platformDevice = await createPlatformDevice(bench, device.hwid);
    const key = await createKey(bench, [platformDevice.id]);
    await writeCredentials(bench, device, {
      deviceId: platformDevice.id,
      key: key.key,
      keyId: key.id,
      secret: key.secret,
      apiUrl: 'http://127.0.0.1:9',
    });
    const diagnosis = await bench.service().diagnose({ port: device.link });
    only(diagnosis, 'PLATFORM_UNREACHABLE_FROM_DEVICE');
    expect(diagnosis.checks[0]!.finding).toMatch(/refused or reset/);
  });

  it('--no-test: no login attempt reaches the platform', async () => {
    const device = await addDevice(bench);
    const { platformDevice } = await provision(bench, device);
    const diagnosis = await bench.service().diagnose({ port: device.link, deviceTest: false });
    expect(diagnosis.deviceTest).toBeNull();
    expect(diagnosis.verdict).toBe('noCauseFound');
    const log = await bench.admin.devices.logs(bench.appId, platformDevice.id);
    expect(log).toHaveLength(0);
  });
});

describe('diagnosis by device id (no serial connection)', () => {
  it('device class cannot connect: the seeded peripheral door contact', async () => {
    const door = bench.sim.seed.devices.find((device) => device.deviceClass === 'peripheral')!;
    const diagnosis = await bench.service().diagnose({ deviceId: door.id, applicationId: bench.appId });
    expect(diagnosis.found).toContain('DEVICE_CLASS_CANNOT_CONNECT');
    expect(status(diagnosis, 'CLOCK_FAR_OFF')).toBe('unknown');
  });

  it("key inactive: from the station's journal, which knows the key it gave the device", async () => {
    const device = await addDevice(bench);
    const { platformDevice, key } = await provision(bench, device);
    await journalProvisioned(bench, {
      deviceId: platformDevice.id,
      keyId: key.id,
      hwid: device.hwid,
      fingerprint: fingerprint(key.key, key.secret),
    });
    await bench.admin.keys.patch(bench.appId, key.id, { status: 'inactive' });
    const diagnosis = await bench.service().diagnose({ deviceId: platformDevice.id });
    only(diagnosis, 'KEY_INACTIVE');
    expect(diagnosis.subject.applicationId).toBe(bench.appId);
  });

  it("key deleted: from the device's connection log of refused attempts", async () => {
    const device = await addDevice(bench);
    const { platformDevice, key } = await provision(bench, device);
    await bench.admin.keys.delete(bench.appId, key.id);
    // The unit tries (its own test) and is refused; the platform logs why.
    await bench.service().diagnose({ port: device.link });
    const diagnosis = await bench.service().diagnose({ deviceId: platformDevice.id, applicationId: bench.appId });
    expect(diagnosis.found).toContain('KEY_DELETED');
    expect(diagnosis.connectionLog[0]).toMatchObject({ connected: false, reason: 'Access key has been deleted' });
  });

  it('device deleted: a 404, with what the journal remembers', async () => {
    const device = await addDevice(bench);
    const { platformDevice, key } = await provision(bench, device);
    await journalProvisioned(bench, {
      deviceId: platformDevice.id,
      keyId: key.id,
      hwid: device.hwid,
      fingerprint: fingerprint(key.key, key.secret),
    });
    await bench.admin.devices.delete(bench.appId, platformDevice.id);
    const diagnosis = await bench.service().diagnose({ deviceId: platformDevice.id, applicationId: bench.appId });
    expect(diagnosis.found).toContain('DEVICE_DELETED');
    expect(diagnosis.checks[0]!.evidence.join(' ')).toMatch(/Keyline provisioned device/);
  });

  it('a healthy device by id: no cause found, and its connection log shows the last login', async () => {
    const device = await addDevice(bench);
    const { platformDevice } = await provision(bench, device);
    await bench.service().diagnose({ port: device.link });
    const diagnosis = await bench.service().diagnose({ deviceId: platformDevice.id, applicationId: bench.appId });
    expect(diagnosis.verdict).toBe('noCauseFound');
    expect(diagnosis.connectionLog[0]).toMatchObject({ connected: true });
    expect(status(diagnosis, 'PLATFORM_UNREACHABLE_FROM_DEVICE')).toBe('clear');
  });
});

describe('what a diagnosis leaves behind', () => {
  it('journals each diagnosis (kind inspect) and never a secret or token', async () => {
    const dir = path.join(bench.dataDir, 'journal');
    const files = await readdir(dir);
    const text = (await Promise.all(files.map((file) => readFile(path.join(dir, file), 'utf8')))).join('');
    const records = text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { kind: string; action?: string });
    expect(
      records.filter((record) => record.kind === 'inspect' && record.action === 'diagnose').length,
    ).toBeGreaterThan(10);
    for (const secret of [...bench.secrets, bench.apiToken, bench.apiToken.split('.')[2]!]) {
      expect(text).not.toContain(secret);
    }
  });
});
