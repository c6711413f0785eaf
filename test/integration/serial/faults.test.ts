import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertTestPassed, fingerprint, SerialError, SerialLink } from '../../../main/serial';
import { SecretRedactor } from '../../../main/security/secret-redactor';
import { credentials, sleep, startBench, type Bench } from './harness';
import { startStubPlatform, type StubPlatform } from './stub-platform';

let platform: StubPlatform;
let bench: Bench | undefined;
let scratch: string;

beforeAll(async () => {
  platform = await startStubPlatform();
  scratch = await mkdtemp(path.join(os.tmpdir(), 'keyline-serial-faults-'));
});
afterAll(async () => {
  await platform.close();
  await rm(scratch, { recursive: true, force: true });
});
afterEach(async () => {
  await bench?.close();
  bench = undefined;
});

async function failure(promise: Promise<unknown>): Promise<SerialError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SerialError) return error;
    throw error;
  }
  throw new Error('expected a SerialError');
}

/** Everything the station let out: log lines, traces and error messages. */
function emitted(target: Bench, errors: SerialError[] = []): string {
  return JSON.stringify({ logs: target.logs, traces: target.traces, errors: errors.map((error) => error.message) });
}

describe('faults give typed errors and leave the device consistent', () => {
  it('corrupted replies: SERIAL_CRC after the retries; clean again once the line is', async () => {
    bench = await startBench({ hwid: 'HW-CORRUPT', faults: 'corrupt=1,seed=3' });
    const error = await failure(bench.link.client.hello());
    expect(error.code).toBe('SERIAL_CRC');
    expect(error.message).toMatch(/cable/);
    bench.device.setFaults('');
    expect((await bench.link.client.hello()).hwid).toBe('HW-CORRUPT');
  });

  it('dropped bytes: the truncated reply is reported as SERIAL_CRC, and the next reply still parses', async () => {
    bench = await startBench({ hwid: 'HW-DROP', faults: 'drop=1,seed=5' });
    const error = await failure(bench.link.client.hello());
    expect(error.code).toBe('SERIAL_CRC');
    bench.device.setFaults('');
    expect((await bench.link.client.hello()).hwid).toBe('HW-DROP');
  });

  it('some corrupted frames among many: idempotent operations recover by retrying', async () => {
    bench = await startBench({ hwid: 'HW-NOISY', faults: 'corrupt=0.3,drop=0.1,seed=11' });
    for (let i = 0; i < 15; i++) expect((await bench.link.client.hello()).hwid).toBe('HW-NOISY');
  });

  it('a reboot during commit: SERIAL_DEVICE_RESET, and hello shows the old table, staged still there', async () => {
    const state = path.join(scratch, 'reboot-during.json');
    bench = await startBench({ hwid: 'HW-REBOOT-1', state });
    const creds = credentials(platform.url);
    await bench.link.client.stage(creds);
    bench.device.setFaults('reboot-during=commit');
    const error = await failure(bench.link.client.commit());
    expect(error.code).toBe('SERIAL_DEVICE_RESET');
    expect(error.outcomeUnknown).toBe(true);
    const info = await bench.link.client.hello();
    expect(info.slots).toMatchObject({ active: null, staged: { deviceId: creds.deviceId }, pending: false });
    expect(info.boots).toBe(2);
    const flash = JSON.parse(await readFile(state, 'utf8')) as { table: { active: unknown; staged: { fp: string } } };
    expect(flash.table.active).toBeNull();
    expect(flash.table.staged.fp).toBe(fingerprint(creds.key, creds.secret));
    // The fault fired once; the commit now goes through.
    expect((await bench.link.client.commit()).active?.deviceId).toBe(creds.deviceId);
  });

  it('a lost commit reply (reboot after the write): hello tells that the commit happened', async () => {
    bench = await startBench({ hwid: 'HW-REBOOT-2' });
    const creds = credentials(platform.url);
    const { fingerprint: fp } = await bench.link.client.stage(creds);
    bench.device.setFaults('reboot-after=commit');
    expect((await failure(bench.link.client.commit())).code).toBe('SERIAL_DEVICE_RESET');
    const info = await bench.link.client.hello();
    expect(info.slots).toMatchObject({ active: { fp: fp.slice(0, 16) }, staged: null, pending: true });
  });

  it('a flash write failure: SERIAL_DEVICE_ERROR FLASH_WRITE_FAILED, and nothing changed on the device or in its flash', async () => {
    const state = path.join(scratch, 'flash-fail.json');
    bench = await startBench({ hwid: 'HW-FLASH', state });
    const before = await readFile(state, 'utf8');
    bench.device.setFaults('flash-fail=stage');
    const error = await failure(bench.link.client.stage(credentials(platform.url)));
    expect(error.code).toBe('SERIAL_DEVICE_ERROR');
    expect(error.deviceCode).toBe('FLASH_WRITE_FAILED');
    expect(error.message).toContain('set it aside');
    expect((await bench.link.client.hello()).slots.staged).toBeNull();
    expect(await readFile(state, 'utf8')).toBe(before);
  });

  it('no network: the test says NO_NETWORK step by step, and assertTestPassed gives SERIAL_TEST_FAILED', async () => {
    bench = await startBench({ hwid: 'HW-NONET', faults: 'no-network' });
    await bench.link.client.stage(credentials(platform.url));
    const report = await bench.link.client.test('staged', 'nonce-nonet-1');
    expect(report).toMatchObject({
      passed: false,
      failure: 'NO_NETWORK',
      steps: [{ step: 'auth', status: 0, error: 'NO_NETWORK' }],
    });
    let thrown: unknown;
    try {
      assertTestPassed(report, bench.link.path);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 'SERIAL_TEST_FAILED', message: expect.stringContaining('no network link') });
    expect(platform.log.length).toBe(0);
  });

  it('a wrong clock: hello reports it, and the test says CLOCK_INVALID without calling the platform', async () => {
    bench = await startBench({ hwid: 'HW-CLOCK', faults: 'wrong-clock' });
    const info = await bench.link.client.hello();
    expect(info.clock.valid).toBe(false);
    expect(info.clockSkewMs).toBeLessThan(-365 * 24 * 3600 * 1000);
    const calls = platform.log.length;
    await bench.link.client.stage(credentials(platform.url));
    expect(await bench.link.client.test('staged', 'nonce-clock-1')).toMatchObject({
      passed: false,
      failure: 'CLOCK_INVALID',
    });
    expect(platform.log.length).toBe(calls);
  });

  it('slow responses: SERIAL_TIMEOUT within the operation timeout', async () => {
    bench = await startBench({ hwid: 'HW-SLOW', faults: 'slow=1500' }, { timeouts: { hello: 300 }, retries: 0 });
    const started = performance.now();
    const error = await failure(bench.link.client.hello());
    expect(error.code).toBe('SERIAL_TIMEOUT');
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('a mute device: SERIAL_TIMEOUT after the retries', async () => {
    bench = await startBench({ hwid: 'HW-MUTE', faults: 'mute' }, { timeouts: { hello: 150 } });
    expect((await failure(bench.link.client.hello())).code).toBe('SERIAL_TIMEOUT');
  });

  it('an older protocol version: SERIAL_PROTOCOL_UNSUPPORTED naming both versions', async () => {
    bench = await startBench({ hwid: 'HW-OLD', faults: 'old-protocol' });
    const error = await failure(bench.link.client.hello());
    expect(error.code).toBe('SERIAL_PROTOCOL_UNSUPPORTED');
    expect(error.deviceVersion).toBe(0);
    expect(error.message).toMatch(/version 0.*version 1/);
  });

  it('firmware that prints its credentials: no secret leaves the station in any form', async () => {
    const state = path.join(scratch, 'leaky.json');
    bench = await startBench({ hwid: 'HW-LEAKY', faults: 'leak-secrets', state });
    const creds = credentials(platform.url);
    platform.addKey(creds.deviceId, creds.key, creds.secret);
    const forms = [
      creds.secret,
      Buffer.from(creds.secret).toString('hex'),
      Buffer.from(creds.secret).toString('base64'),
    ];
    // The station holds the secret while it provisions (the pipeline registers it on mint).
    const release = bench.redactor.add(creds.secret);
    const errors: SerialError[] = [];
    await bench.link.client.stage(creds);
    await bench.link.client.commit();
    const recent = await bench.link.client.log({ lines: 200 });
    bench.device.setFaults('leak-secrets,flash-fail=confirm');
    errors.push(await failure(bench.link.client.confirm()));
    // A restart prints the active credentials again at boot.
    await bench.device.reboot();
    await sleep(100);
    release();

    // The firmware really printed them (the fault is real)...
    const printed = bench.printed.join('\n');
    for (const form of forms) expect(printed).toContain(form);
    // ...and none of it got past the station.
    const out = emitted(bench, errors) + JSON.stringify(recent);
    for (const form of forms) expect(out).not.toContain(form);
    expect(out).toContain('[REDACTED]');
  });

  it('unplugged mid-operation: SERIAL_DEVICE_GONE at once, not a timeout', async () => {
    bench = await startBench({ hwid: 'HW-UNPLUG', faults: 'slow=20000' });
    const pending = failure(bench.link.client.test('staged', 'nonce-unplug-1'));
    await sleep(200);
    const started = performance.now();
    await bench.device.unplug();
    const error = await pending;
    expect(error.code).toBe('SERIAL_DEVICE_GONE');
    expect(error.message).toMatch(/unplugged/);
    expect(performance.now() - started).toBeLessThan(2000);
    expect((await failure(bench.link.client.hello())).code).toBe('SERIAL_DEVICE_GONE');
  });

  it('a port another program holds: SERIAL_PORT_BUSY with what to do', async () => {
    bench = await startBench({ hwid: 'HW-BUSY' });
    const error = await failure(SerialLink.open({ path: bench.device.link, redactor: new SecretRedactor() }));
    expect(error.code).toBe('SERIAL_PORT_BUSY');
    expect(error.message).toContain('in use by another program');
  });

  it('a port that is not there: SERIAL_PORT_NOT_FOUND', async () => {
    const error = await failure(
      SerialLink.open({ path: path.join(scratch, 'no-such-tty'), redactor: new SecretRedactor() }),
    );
    expect(error.code).toBe('SERIAL_PORT_NOT_FOUND');
  });
});
