import { describe, expect, it } from 'vitest';
import {
  decodeJsonPayload,
  encodeFrame,
  encodeJsonPayload,
  type Frame,
  FrameType,
  StreamDecoder,
} from '../../common/serial';
import { SecretRedactor } from '../security/secret-redactor';
import { DeviceClient, fingerprint } from './device-client';
import { SerialError } from './errors';
import type { TraceEntry } from './trace';

const SECRET = 'unit-test-secret-0123456789abcdef';
const KEY = 'key-for-unit-tests';
const DEVICE_ID = '0123456789abcdef01234567';

const slotsEmpty = { active: null, staged: null, previous: null, pending: false };
const helloBody = {
  ok: true,
  proto: 1,
  model: 'KL-TEST',
  hwid: 'HW-1',
  fw: '1.0.0',
  caps: ['identify'],
  maxPayload: 4096,
  clock: { unix: 2_000_000_000, valid: true },
  uptimeMs: 10,
  boots: 1,
  slots: slotsEmpty,
};

type Answer = (request: Record<string, unknown>, frame: Frame) => Uint8Array[] | undefined;

/** A scripted device for one test: it decodes what the client writes and answers through `receive`. */
function harness(answer: Answer, options: Partial<ConstructorParameters<typeof DeviceClient>[0]> = {}) {
  const redactor = new SecretRedactor();
  const requests: Array<{ id: number; body: Record<string, unknown> }> = [];
  const decoder = new StreamDecoder();
  const traces: TraceEntry[] = [];
  const client: DeviceClient = new DeviceClient({
    portName: '/dev/ttyTEST',
    redactor,
    now: () => 1_999_999_000_000,
    timeouts: { hello: 60, stage: 60, commit: 60, test: 60, confirm: 60 },
    write: async (bytes) => {
      for (const item of decoder.push(bytes)) {
        if (item.kind !== 'frame') continue;
        const body = decodeJsonPayload(item.frame.payload)!;
        requests.push({ id: item.frame.id, body });
        const out = answer(body, item.frame);
        // Answer asynchronously, as a port would.
        if (out) setTimeout(() => out.forEach((chunk) => feed(chunk)), 1);
      }
    },
    ...options,
  });
  const parser = new StreamDecoder();
  const feed = (bytes: Uint8Array) => {
    for (const item of parser.push(bytes)) {
      if (item.kind === 'line')
        client.receive({ kind: 'line', text: new TextDecoder().decode(item.bytes), cut: item.cut });
      else client.receive(item);
    }
  };
  client.on('trace', (entry) => traces.push(entry));
  return { client, requests, redactor, traces, feed };
}

const frameOf = (id: number, body: Record<string, unknown>, type: FrameType = FrameType.reply, version = 1) =>
  encodeFrame({ version, type, id, payload: encodeJsonPayload(body) });
const text = (line: string) => new TextEncoder().encode(line);

async function failure(promise: Promise<unknown>): Promise<SerialError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SerialError) return error;
    throw error;
  }
  throw new Error('expected a SerialError');
}

describe('DeviceClient', () => {
  it('matches the reply by id, ignores a stray reply, and learns the device from hello', async () => {
    const { client, requests } = harness((_body, frame) => [
      frameOf(frame.id + 1, { ok: true, stray: true }),
      frameOf(frame.id, helloBody),
    ]);
    const info = await client.hello();
    expect(info.hwid).toBe('HW-1');
    expect(info.clockSkewMs).toBe(1_000_000);
    expect(client.info?.maxPayload).toBe(4096);
    expect(requests).toHaveLength(1);
  });

  it('uses a new id per request and the same id for a retry of an idempotent operation', async () => {
    let calls = 0;
    const { client, requests } = harness((_body, frame) => (++calls < 3 ? undefined : [frameOf(frame.id, helloBody)]), {
      firstRequestId: 65535,
    });
    await client.hello();
    await client.hello();
    expect(requests.map((request) => request.id)).toEqual([65535, 65535, 65535, 1]);
  });

  it('times out after the retries of an idempotent operation', async () => {
    const { client, requests } = harness(() => undefined);
    const error = await failure(client.hello());
    expect(error.code).toBe('SERIAL_TIMEOUT');
    expect(error.outcomeUnknown).toBe(false);
    expect(requests).toHaveLength(3);
  });

  it('never retries a commit, and says its outcome is unknown', async () => {
    const { client, requests } = harness(() => undefined);
    const error = await failure(client.commit());
    expect(error.code).toBe('SERIAL_TIMEOUT');
    expect(error.outcomeUnknown).toBe(true);
    expect(error.message).toMatch(/ask the device \(hello\)/);
    expect(requests).toHaveLength(1);
  });

  it('retries at once when the reply arrives damaged, and reports SERIAL_CRC when it stays damaged', async () => {
    const { client, requests } = harness((_body, frame) => {
      const damaged = frameOf(frame.id, helloBody);
      damaged[40] = damaged[40]! ^ 0xff;
      return [damaged];
    });
    const started = performance.now();
    const error = await failure(client.hello());
    expect(error.code).toBe('SERIAL_CRC');
    expect(requests).toHaveLength(3);
    expect(performance.now() - started).toBeLessThan(150);
  });

  it('fails a waiting commit with SERIAL_DEVICE_RESET when the device announces a restart', async () => {
    const { client } = harness(() => [
      text('ets Jun  8 2016 00:22:57\r\nrst:0x1 (POWERON_RESET)\r\n'),
      frameOf(0, { event: 'boot', proto: 1, reason: 'watchdog', boots: 9 }, FrameType.event),
    ]);
    const boots: unknown[] = [];
    client.on('boot', (event) => boots.push(event));
    const error = await failure(client.commit());
    expect(error.code).toBe('SERIAL_DEVICE_RESET');
    expect(error.outcomeUnknown).toBe(true);
    expect(boots).toEqual([{ event: 'boot', proto: 1, reason: 'watchdog', boots: 9 }]);
  });

  it('reports an older protocol version as SERIAL_PROTOCOL_UNSUPPORTED', async () => {
    const { client } = harness((_body, frame) => [
      frameOf(
        frame.id,
        { ok: false, error: { code: 'VERSION_UNSUPPORTED', message: 'v0' }, supported: [0] },
        FrameType.reply,
        0,
      ),
    ]);
    const error = await failure(client.hello());
    expect(error.code).toBe('SERIAL_PROTOCOL_UNSUPPORTED');
    expect(error.deviceVersion).toBe(0);
    expect(error.message).toContain('version 0');
  });

  it('turns a device error into SERIAL_DEVICE_ERROR with its code, advice, and the secret redacted', async () => {
    const { client, redactor } = harness((_body, frame) => [
      frameOf(frame.id, { ok: false, error: { code: 'FLASH_WRITE_FAILED', message: `bad sector near ${SECRET}` } }),
    ]);
    const release = redactor.add(SECRET);
    const error = await failure(client.commit());
    release();
    expect(error.code).toBe('SERIAL_DEVICE_ERROR');
    expect(error.deviceCode).toBe('FLASH_WRITE_FAILED');
    expect(error.message).toContain('set it aside');
    expect(error.message).not.toContain(SECRET);
  });

  it('refuses a reply that does not follow the protocol', async () => {
    const { client } = harness((_body, frame) => [frameOf(frame.id, { ok: true, slots: 'all good' })]);
    expect((await failure(client.commit())).code).toBe('SERIAL_BAD_REPLY');
  });

  it('proves a stage by fingerprint and never traces or logs the secret', async () => {
    const fp = fingerprint(KEY, SECRET);
    const leaks = [SECRET, Buffer.from(SECRET).toString('hex'), Buffer.from(SECRET).toString('base64')];
    const { client, traces } = harness((_body, frame) => [
      text(`I (99) creds: secret=${leaks[0]} hex=${leaks[1]} b64=${leaks[2]}\n`),
      frameOf(frame.id, {
        ok: true,
        fp,
        slots: { ...slotsEmpty, staged: { deviceId: DEVICE_ID, key: KEY, keyId: null, fp: fp.slice(0, 16) } },
      }),
    ]);
    const lines: string[] = [];
    client.on('log', (line) => lines.push(line.text));
    const result = await client.stage({ deviceId: DEVICE_ID, key: KEY, secret: SECRET, apiUrl: 'http://127.0.0.1:1' });
    expect(result.fingerprint).toBe(fp);
    expect(lines).toEqual(['I (99) creds: secret=[REDACTED] hex=[REDACTED] b64=[REDACTED]']);
    const traced = JSON.stringify(traces);
    for (const leak of leaks) expect(traced).not.toContain(leak);
    expect(traced).toContain('"secret\\":\\"[REDACTED]\\"');
  });

  it('refuses a stage whose fingerprint differs from what was sent', async () => {
    const { client } = harness((_body, frame) => [
      frameOf(frame.id, { ok: true, fp: 'ab'.repeat(32), slots: slotsEmpty }),
    ]);
    const error = await failure(
      client.stage({ deviceId: DEVICE_ID, key: KEY, secret: SECRET, apiUrl: 'https://x.test' }),
    );
    expect(error.code).toBe('SERIAL_FINGERPRINT_MISMATCH');
    expect(error.message).not.toContain(SECRET);
  });

  it('refuses to send invalid credentials, naming the field and not the value', async () => {
    const { client, requests } = harness(() => undefined);
    const error = await failure(client.stage({ deviceId: 'nope', key: KEY, secret: SECRET, apiUrl: 'https://x.test' }));
    expect(error.code).toBe('SERIAL_INVALID_REQUEST');
    expect(error.message).toContain('deviceId');
    expect(requests).toHaveLength(0);
  });

  it('does not call an optional operation the device did not announce', async () => {
    const { client, requests } = harness((_body, frame) => [frameOf(frame.id, helloBody)]);
    await client.hello();
    expect((await failure(client.test('staged', 'nonce-123456'))).code).toBe('SERIAL_NOT_SUPPORTED');
    expect(requests).toHaveLength(1);
  });

  it('fails the waiting request and every later one when the port goes away', async () => {
    const { client } = harness(() => undefined);
    const pending = client.hello();
    setTimeout(() => client.fail(new SerialError('SERIAL_DEVICE_GONE', 'gone', { port: '/dev/ttyTEST' })), 5);
    expect((await failure(pending)).code).toBe('SERIAL_DEVICE_GONE');
    expect((await failure(client.confirm())).code).toBe('SERIAL_DEVICE_GONE');
  });

  it('notices a vanished port while waiting, long before the timeout', async () => {
    let present = true;
    const { client } = harness(() => undefined, {
      timeouts: { test: 5000 },
      isPresent: async () => present,
      presenceIntervalMs: 10,
    });
    const pending = client.test('active', 'nonce-123456');
    setTimeout(() => (present = false), 20);
    const error = await failure(pending);
    expect(error.code).toBe('SERIAL_DEVICE_GONE');
    expect(error.outcomeUnknown).toBe(true);
  });

  it('stops waiting when the caller aborts', async () => {
    const { client } = harness(() => undefined, { timeouts: { test: 5000 } });
    const controller = new AbortController();
    const pending = client.test('staged', 'nonce-123456', { signal: controller.signal });
    setTimeout(() => controller.abort(), 10);
    expect((await failure(pending)).code).toBe('SERIAL_ABORTED');
  });

  it('classifies a failed test by its first failing step', async () => {
    const { client } = harness((_body, frame) => [
      frameOf(frame.id, { ok: true, slot: 'staged', passed: false, steps: [{ step: 'auth', status: 401, ms: 12 }] }),
    ]);
    const report = await client.test('staged', 'nonce-123456');
    expect(report).toEqual({
      slot: 'staged',
      passed: false,
      steps: [{ step: 'auth', status: 401, ms: 12 }],
      failure: 'AUTH_REJECTED',
    });
  });
});
