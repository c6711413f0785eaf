/**
 * Malformed and oversized payloads sent to every contract method through the real web host (a
 * real WebSocket with the launch token, the real dispatcher and the composed station). The list of
 * methods comes from `methodNames`, so a method added by any area is covered without touching this
 * file. Each malformed call must get the typed error CONTRACT_INVALID_ARGUMENT, a message that does
 * not echo the value, and the host must keep answering.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { methodNames, methods, type MethodName } from '../../../common/contract';
import { WIRE_PROTOCOL, WIRE_TOKEN_PREFIX } from '../../../common/contract/wire';
import { MemorySecretStore } from '../../../main/auth';
import { composeStation, type Station } from '../../../main/host/compose';
import { startWebHost, type WebHost } from '../../../main/host/web-host';

const SENTINEL = 'SENTINEL-<img src=x onerror=alert(1)>-s3cr3t-7f1e';

let station: Station;
let host: WebHost;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'keyline-contract-fuzz-'));
  await writeFile(path.join(dir, 'index.html'), '<!doctype html><title>Keyline</title>');
  station = await composeStation({
    host: 'web',
    dataDir: path.join(dir, 'data'),
    auth: { secretStore: new MemorySecretStore() },
  });
  host = await startWebHost({ dispatch: station.dispatch, events: station.events, rendererDir: dir });
});

afterAll(async () => {
  await host?.close();
  await station?.close();
  await rm(dir, { recursive: true, force: true });
});

function connect(): Promise<WebSocket> {
  const socket = new WebSocket(
    `ws://127.0.0.1:${host.port}/contract`,
    [WIRE_PROTOCOL, `${WIRE_TOKEN_PREFIX}${host.token}`],
    { origin: host.origin, maxPayload: 64 * 1024 * 1024 },
  );
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Sends one call and waits for its answer (or the socket closing). */
function call(socket: WebSocket, id: number, method: string, args: unknown): Promise<unknown> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const message = JSON.parse(String(data)) as { type: string; id?: number };
      if (message.type === 'result' && message.id !== id) return;
      socket.off('message', onMessage);
      resolve(message);
    };
    socket.on('message', onMessage);
    socket.once('close', (code) => resolve({ closed: code }));
    socket.send(`{"type":"call","id":${id},"method":${JSON.stringify(method)},"args":${serialize(args)}}`);
  });
}

/** JSON text, with `__proto__` written as a key of its own (JSON.stringify would drop a prototype). */
function serialize(args: unknown): string {
  return typeof args === 'string' && args.startsWith('RAW:') ? args.slice(4) : JSON.stringify(args);
}

function nested(depth: number): unknown {
  let value: unknown = SENTINEL;
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

const WRONG_VALUES: unknown[] = [
  12345,
  -1.5,
  true,
  { $gt: '' },
  [[[SENTINEL]]],
  `${SENTINEL}${'x'.repeat(600_000)}`,
  `\u0000\u001b[2J${SENTINEL}`,
  nested(2000),
];

/** Payloads the method's schema refuses: non-objects, unknown keys, and each field given a wrong value. */
function malformed(method: MethodName): unknown[] {
  const schema = methods[method].args;
  const shape = (schema as unknown as { shape?: Record<string, unknown> }).shape ?? {};
  const candidates: unknown[] = [
    42,
    SENTINEL,
    [],
    [{}],
    false,
    { [SENTINEL]: SENTINEL },
    { constructor: { prototype: { polluted: SENTINEL } } },
    `RAW:{"__proto__":{"polluted":"${SENTINEL}"}}`,
    nested(3000),
  ];
  for (const field of Object.keys(shape)) {
    for (const value of WRONG_VALUES) candidates.push({ [field]: value });
    candidates.push({ [field]: SENTINEL, [`${field}_extra`]: SENTINEL });
  }
  return candidates.filter((args) => {
    const parsed = typeof args === 'string' && args.startsWith('RAW:') ? JSON.parse(args.slice(4)) : args;
    return !schema.safeParse(parsed).success;
  });
}

describe('every contract method through the real web host', () => {
  it('answers malformed arguments with CONTRACT_INVALID_ARGUMENT and keeps answering', async () => {
    expect(methodNames.length).toBeGreaterThan(5);
    const socket = await connect();
    let id = 1;
    const counts = new Map<string, number>();
    for (const method of methodNames) {
      const payloads = malformed(method);
      counts.set(method, payloads.length);
      for (const args of payloads) {
        const answer = (await call(socket, id, method, args)) as {
          type: string;
          id: number;
          result: { ok: boolean; error?: { code: string; message: string } };
        };
        const where = `${method} ${serialize(args).slice(0, 80)}`;
        expect(answer, where).toMatchObject({ type: 'result', id, result: { ok: false } });
        expect(answer.result.error?.code, where).toBe('CONTRACT_INVALID_ARGUMENT');
        expect(answer.result.error?.message, where).toContain(method);
        expect(answer.result.error?.message.length, where).toBeLessThan(2000);
        expect(answer.result.error?.message, where).not.toContain('s3cr3t');
        id++;
      }
      // Still up and still itself after each method's barrage.
      expect(await call(socket, id++, 'app.info', {}), method).toMatchObject({ result: { ok: true } });
    }
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    for (const [method, count] of counts) expect(count, method).toBeGreaterThanOrEqual(8);
    socket.close();
  }, 120_000);

  it('answers unknown methods and malformed messages with typed errors', async () => {
    const socket = await connect();
    for (const method of ['', 'app', 'app.info.', '__proto__', 'constructor', 'toString', SENTINEL]) {
      const answer = (await call(socket, 9, method, {})) as { result: { error: { code: string; message: string } } };
      expect(answer.result.error.code, method).toBe('CONTRACT_UNKNOWN_METHOD');
      expect(answer.result.error.message).not.toContain('s3cr3t');
    }
    for (const raw of [
      '{',
      'null',
      '[]',
      '{"type":"call"}',
      '{"type":"call","id":"x","method":1}',
      '{"type":"evil"}',
    ]) {
      const answer = await new Promise<unknown>((resolve) => {
        socket.once('message', (data) => resolve(JSON.parse(String(data))));
        socket.send(raw);
      });
      expect(answer, raw).toMatchObject({ type: 'error', error: { code: expect.stringMatching(/^CONTRACT_/) } });
    }
    expect(await call(socket, 10, 'app.info', {})).toMatchObject({ result: { ok: true } });
    socket.close();
  });

  it('closes a socket that sends an oversized call to any method, and the host stays up', async () => {
    const huge = 'x'.repeat(1024 * 1024 + 1);
    for (const method of methodNames) {
      const socket = await connect();
      const answer = await call(socket, 1, method, { field: huge });
      expect(answer, method).toEqual({ closed: 1009 });
    }
    const socket = await connect();
    expect(await call(socket, 2, 'app.info', {})).toMatchObject({ result: { ok: true, value: { name: 'Keyline' } } });
    socket.close();
  });
});
