import { rm, mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SerialPort } from 'serialport';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { decodeJsonPayload, encodeFrame, encodeJsonPayload, FrameType, StreamDecoder } from '../../../common/serial';
import { fingerprint, isSerialError } from '../../../main/serial';
import { startBench, credentials, sleep, waitFor, type Bench } from './harness';
import { startStubPlatform, type StubPlatform } from './stub-platform';

let platform: StubPlatform;
let bench: Bench | undefined;
let scratch: string;

beforeAll(async () => {
  platform = await startStubPlatform();
  scratch = await mkdtemp(path.join(os.tmpdir(), 'keyline-serial-ops-'));
});
afterAll(async () => {
  await platform.close();
  await rm(scratch, { recursive: true, force: true });
});
afterEach(async () => {
  await bench?.close();
  bench = undefined;
});

describe('every operation over a real pty', () => {
  it('hello tells a fresh unit: identity, capabilities, clock and empty slots', async () => {
    bench = await startBench({ hwid: 'HW-HELLO-1', model: 'KL-TEST' });
    const info = await bench.link.client.hello();
    expect(info).toMatchObject({
      proto: 1,
      version: 1,
      hwid: 'HW-HELLO-1',
      model: 'KL-TEST',
      caps: expect.arrayContaining(['test', 'identify', 'log']),
      slots: { active: null, staged: null, previous: null, pending: false },
    });
    expect(info.boots).toBe(1);
    expect(Math.abs(info.clockSkewMs)).toBeLessThan(2000);
  });

  it('provisions end to end: stage, test staged, commit, test active, confirm; then rotates and rolls back', async () => {
    const state = path.join(scratch, 'provision.json');
    bench = await startBench({ hwid: 'HW-PROV-1', state });
    const client = bench.link.client;
    const first = credentials(platform.url);
    platform.addKey(first.deviceId, first.key, first.secret);

    const staged = await client.stage(first);
    expect(staged.fingerprint).toBe(fingerprint(first.key, first.secret));
    expect(staged.slots.staged).toEqual({
      deviceId: first.deviceId,
      key: first.key,
      keyId: first.keyId,
      fp: staged.fingerprint.slice(0, 16),
    });

    const nonce = 'nonce-staged-01';
    const tested = await client.test('staged', nonce);
    expect(tested).toMatchObject({ slot: 'staged', passed: true });
    expect(tested.steps.map((step) => [step.step, step.status])).toEqual([
      ['auth', 200],
      ['state', 200],
    ]);
    expect(platform.reports(first.deviceId)).toContainEqual({ keylineNonce: nonce });

    const committed = await client.commit();
    expect(committed).toMatchObject({
      active: { deviceId: first.deviceId },
      staged: null,
      previous: null,
      pending: true,
    });
    expect((await client.test('active', 'nonce-active-01')).passed).toBe(true);
    expect(await client.confirm()).toMatchObject({ pending: false, previous: null });
    // confirm is idempotent: a second one changes nothing.
    expect(await client.confirm()).toMatchObject({ pending: false, active: { deviceId: first.deviceId } });

    // Rotation, make-before-break, then a rollback to the first credentials.
    const second = credentials(platform.url);
    await client.stage({ ...second, deviceId: first.deviceId });
    const rotated = await client.commit();
    expect(rotated.active?.key).toBe(second.key);
    expect(rotated.previous?.key).toBe(first.key);
    // The second key is unknown to the platform: the device says so with the HTTP status.
    const refused = await client.test('active', 'nonce-rotated-1');
    expect(refused).toMatchObject({ passed: false, failure: 'AUTH_REJECTED', steps: [{ step: 'auth', status: 401 }] });
    const rolledBack = await client.rollback();
    expect(rolledBack).toMatchObject({ active: { key: first.key }, previous: null, pending: false });

    // The flash (state file) holds the same table, and hello after a restart reports it.
    const flash = JSON.parse(await readFile(state, 'utf8')) as { table: { active: { key: string } } };
    expect(flash.table.active.key).toBe(first.key);
    await bench.close();
    bench = await startBench({ hwid: 'HW-PROV-1', state });
    const again = await bench.link.client.hello();
    expect(again.slots.active?.key).toBe(first.key);
    expect(again.boots).toBe(2);
  });

  it('discard drops the staged slot and wipe erases everything, but only for the right hwid', async () => {
    bench = await startBench({ hwid: 'HW-WIPE-1' });
    const client = bench.link.client;
    const creds = credentials(platform.url);
    await client.stage(creds);
    expect((await client.discard()).staged).toBeNull();
    expect((await client.discard()).staged).toBeNull();
    await client.stage(creds);
    await client.commit();
    const wrong = await client.wipe('HW-SOMEONE-ELSE').catch((error: unknown) => error);
    expect(isSerialError(wrong, 'SERIAL_DEVICE_ERROR') && wrong.deviceCode).toBe('HWID_MISMATCH');
    expect((await client.hello()).slots.active?.deviceId).toBe(creds.deviceId);
    expect(await client.wipe('HW-WIPE-1')).toEqual({ active: null, staged: null, previous: null, pending: false });
  });

  it('refuses commit with nothing staged, rollback with nothing to roll back, and a second commit before confirm', async () => {
    bench = await startBench({ hwid: 'HW-REFUSE-1' });
    const client = bench.link.client;
    const code = (error: unknown) => (isSerialError(error) ? error.deviceCode : String(error));
    expect(code(await client.commit().catch((e: unknown) => e))).toBe('NO_STAGED');
    expect(code(await client.rollback().catch((e: unknown) => e))).toBe('NO_PREVIOUS');
    expect(code(await client.test('active', 'nonce-empty-01').catch((e: unknown) => e))).toBe('NO_ACTIVE');
    await client.stage(credentials(platform.url));
    await client.commit();
    await client.stage(credentials(platform.url));
    expect(code(await client.commit().catch((e: unknown) => e))).toBe('COMMIT_PENDING');
  });

  it('identify blinks, log returns recent lines and sets the level, reboot restarts the unit', async () => {
    bench = await startBench({ hwid: 'HW-MISC-1' });
    const client = bench.link.client;
    await client.identify(5);
    expect(bench.device.state().identifying).toBe(true);
    const recent = await client.log({ lines: 10, level: 'debug' });
    expect(recent.level).toBe('debug');
    expect(recent.lines.length).toBeGreaterThan(0);
    expect(recent.lines.length).toBeLessThanOrEqual(10);
    expect(recent.lines.some((line) => line.includes('identify'))).toBe(true);

    const booted = client.waitForBoot({ timeoutMs: 5000 });
    await client.reboot(50);
    expect(await booted).toMatchObject({ event: 'boot', reason: 'requested', boots: 2 });
    const info = await client.hello();
    expect(info.boots).toBe(2);
    expect(info.uptimeMs).toBeLessThan(2000);
  });

  it('keeps log lines and frames apart while the device chatters between replies', async () => {
    bench = await startBench({ hwid: 'HW-CHATTY-1', chatterMs: 15 });
    const client = bench.link.client;
    for (let i = 0; i < 30; i++) await client.hello();
    await client.identify(1);
    await sleep(50);
    const texts = bench.logs.map((line) => line.text);
    expect(texts.filter((text) => text.includes('prov: request')).length).toBeGreaterThanOrEqual(30);
    expect(texts.some((text) => /wifi|heap|sensor|app: idle/.test(text))).toBe(true);
    // No frame bytes leaked into the log as text.
    expect(texts.some((text) => text.includes('"ok":true'))).toBe(false);
  });

  it('answers a repeated request id with the same reply and does not execute it twice (§3)', async () => {
    bench = await startBench({ hwid: 'HW-DUP-1' });
    await bench.link.client.stage(credentials(platform.url));
    await bench.link.close();
    const port = new SerialPort({ path: bench.device.link, baudRate: 115200, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
    const decoder = new StreamDecoder();
    const replies: Array<{ id: number; body: Record<string, unknown> | undefined; bytes: string }> = [];
    port.on('data', (chunk: Buffer) => {
      for (const item of decoder.push(chunk)) {
        if (item.kind === 'frame' && item.frame.type === FrameType.reply) {
          const bytes = Buffer.from(encodeFrame(item.frame)).toString('hex');
          replies.push({ id: item.frame.id, body: decodeJsonPayload(item.frame.payload), bytes });
        }
      }
    });
    const commit = encodeFrame({
      version: 1,
      type: FrameType.request,
      id: 4242,
      payload: encodeJsonPayload({ op: 'commit' }),
    });
    // Each reply is awaited (not a fixed sleep): on a loaded machine one can take longer than 300 ms.
    port.write(Buffer.from(commit));
    await waitFor(() => replies.length >= 1);
    port.write(Buffer.from(commit));
    await waitFor(() => replies.length >= 2);
    await sleep(200);
    await new Promise<void>((resolve) => port.close(() => resolve()));
    expect(replies).toHaveLength(2);
    expect(replies[0]!.body).toMatchObject({ ok: true, slots: { pending: true } });
    expect(replies[1]!.bytes).toBe(replies[0]!.bytes);
    expect(bench.device.state().slots.pending).toBe(true);
  });
});
