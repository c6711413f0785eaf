import { describe, expect, it } from 'vitest';
import {
  decodeJsonPayload,
  encodeFrame,
  FrameType,
  HelloReply,
  MAX_PAYLOAD,
  type Operation,
  StreamDecoder,
} from '../../common/serial';
import { SecretRedactor } from '../security/secret-redactor';
import { DeviceClient, fingerprint } from './device-client';
import { SerialError, type SerialErrorCode } from './errors';
import { sanitizeLine } from './frame-parser';

/**
 * A device that lies, driven by a seeded generator: every operation of the protocol client gets
 * answers that are mutated from a valid reply (wrong types, oversized and hostile strings,
 * missing fields, prototype keys), replaced by something else (error replies with hostile codes
 * and messages, other ids, versions and frame types, non-JSON, deep nesting, a boot storm), or
 * never come. The client must answer each call with a valid result or a typed SerialError whose
 * message is bounded, printable, free of the secret and of object internals, and it must stay
 * usable for the next request. A failing case names its seed and replays exactly.
 */

const SECRET = 'fuzz-secret-0123456789abcdefghijklmnopqrstuvwxyz';
const KEY = 'fuzz-key-0001';
const DEVICE_ID = '0123456789abcdef01234567';
const FP = fingerprint(KEY, SECRET);
const SECRET_FORMS = [
  SECRET,
  Buffer.from(SECRET).toString('hex'),
  Buffer.from(SECRET).toString('base64').replace(/=+$/, ''),
  Buffer.from(SECRET).toString('base64url'),
];

const SEEDS = 100;

const CODES: readonly SerialErrorCode[] = [
  'SERIAL_TIMEOUT',
  'SERIAL_CRC',
  'SERIAL_DEVICE_RESET',
  'SERIAL_DEVICE_ERROR',
  'SERIAL_PROTOCOL_UNSUPPORTED',
  'SERIAL_BAD_REPLY',
  'SERIAL_NOT_SUPPORTED',
  'SERIAL_FINGERPRINT_MISMATCH',
];

function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (max: number) => Math.floor(next() * max),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
  };
}
type Random = ReturnType<typeof random>;

const slot = { deviceId: DEVICE_ID, key: KEY, keyId: null, fp: FP.slice(0, 16) };
const slots = { active: slot, staged: null, previous: null, pending: false };
const helloBody = {
  ok: true,
  proto: 1,
  model: 'KL-FUZZ',
  hwid: 'HW-FUZZ-1',
  fw: '1.0.0',
  caps: ['test', 'identify', 'log'],
  maxPayload: 16384,
  clock: { unix: 2_000_000_000, valid: true },
  uptimeMs: 10,
  boots: 1,
  slots,
};

const VALID: Record<Operation, Record<string, unknown>> = {
  hello: helloBody,
  stage: { ok: true, fp: FP, slots: { ...slots, staged: slot } },
  test: {
    ok: true,
    slot: 'staged',
    passed: true,
    steps: [
      { step: 'auth', status: 200, ms: 5 },
      { step: 'state', status: 200, ms: 5 },
    ],
  },
  commit: { ok: true, slots: { ...slots, pending: true, previous: slot } },
  confirm: { ok: true, slots },
  rollback: { ok: true, slots },
  discard: { ok: true, slots },
  wipe: { ok: true, slots: { active: null, staged: null, previous: null, pending: false } },
  identify: { ok: true },
  log: { ok: true, level: 'info', lines: ['I (1) boot'] },
  reboot: { ok: true },
};

const HOSTILE_STRINGS = [
  '<img src=x onerror="window.__pwned=1">',
  '<script>alert(1)</script>',
  '\u001b[2J\u001b[H\u001b]0;pwned\u0007',
  '\u001b[31mFAILED\u001b[0m',
  'line\r\nforged: passed\n',
  '\u0000\u0001\u0007\u007f\u009b',
  '\u202eevil\u202c',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  SECRET,
  Buffer.from(SECRET).toString('hex'),
  Buffer.from(SECRET).toString('base64'),
  `secret=${SECRET}`,
  '\ud800',
  'A'.repeat(65),
  'B'.repeat(1500),
  'C'.repeat(15000),
  '',
];

function hostileString(rng: Random): string {
  const base = rng.pick(HOSTILE_STRINGS);
  return rng.next() < 0.3 ? `${base}${rng.pick(HOSTILE_STRINGS)}`.slice(0, 16000) : base;
}

function hostileValue(rng: Random, depth = 0): unknown {
  switch (rng.int(12)) {
    case 0:
      return hostileString(rng);
    case 1:
      return rng.pick([-1, 0, 1.5, 1e308, -1e308, 2 ** 53 + 7, 65536, 16385, 1023]);
    case 2:
      return rng.next() < 0.5;
    case 3:
      return null;
    case 4:
      return [];
    case 5:
      return {};
    case 6:
      return depth < 3 ? [hostileValue(rng, depth + 1), hostileValue(rng, depth + 1)] : [];
    case 7:
      return depth < 3 ? { [hostileString(rng).slice(0, 40)]: hostileValue(rng, depth + 1) } : {};
    case 8:
      return Array.from({ length: 2000 }, () => 'cap');
    case 9:
      return { ...slot, fp: hostileString(rng) };
    case 10:
      return { ...slot, key: SECRET };
    default:
      return hostileString(rng).slice(0, 64);
  }
}

/** Every path to a value inside a JSON object, so any field at any depth can be mutated. */
function paths(value: unknown, prefix: string[] = []): string[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  const entries = Array.isArray(value)
    ? value.map((item, index) => [String(index), item] as const)
    : Object.entries(value);
  return [prefix, ...entries.flatMap(([key, inner]) => paths(inner, [...prefix, key]))];
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown, remove: boolean): void {
  let node: Record<string, unknown> = target;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
  const last = path.at(-1)!;
  if (remove) delete node[last];
  else Object.defineProperty(node, last, { value, enumerable: true, writable: true, configurable: true });
}

const text = (s: string) => new TextEncoder().encode(s);
const frameOf = (id: number, body: unknown, type: FrameType = FrameType.reply, version = 1) =>
  encodeFrame({ version, type, id, payload: text(JSON.stringify(body)).subarray(0, MAX_PAYLOAD) });

/** What the lying device sends back for one request: bytes to write, or nothing at all. */
function lie(rng: Random, op: Operation, id: number): Uint8Array[] {
  const valid = structuredClone(VALID[op]);
  switch (rng.int(16)) {
    case 0:
    case 1:
    case 2: {
      const body = structuredClone(valid);
      const candidates = paths(body).filter((path) => path.length > 0);
      const path = rng.pick(candidates);
      setPath(body, path, hostileValue(rng), rng.next() < 0.25);
      return [frameOf(id, body)];
    }
    case 3:
      return [frameOf(id, rng.pick([[], 'ok', 42, null, {}, { ok: 'true' }, { ok: true }, { ok: 1 }]))];
    case 4:
    case 5: {
      const error: Record<string, unknown> = {
        code: rng.next() < 0.5 ? hostileString(rng).slice(0, 32) : rng.pick(['FLASH_WRITE_FAILED', 'BUSY', 'X']),
        message: rng.next() < 0.8 ? hostileString(rng).slice(0, 200) : hostileString(rng),
      };
      if (rng.next() < 0.5) error['field'] = hostileString(rng).slice(0, 32);
      const body: Record<string, unknown> = { ok: false, error };
      if (rng.next() < 0.2) body['supported'] = hostileValue(rng);
      return [frameOf(id, body)];
    }
    case 6:
      // A reply under another id, then (sometimes) the real one.
      return rng.next() < 0.5 ? [frameOf(id + 1, valid), frameOf(id, valid)] : [frameOf((id + 7) % 65536, valid)];
    case 7:
      return [frameOf(id, valid, rng.pick([FrameType.event, FrameType.request]))];
    case 8:
      return [frameOf(id, valid, FrameType.reply, rng.pick([0, 2, 255]))];
    case 9: {
      const payload = rng.pick([
        text('not json at all <b>'),
        Uint8Array.of(0xff, 0xfe, 0x7b, 0x7d),
        text('\ufeff{"ok":true}'),
        text(`${'['.repeat(8000)}${']'.repeat(8000)}`),
        text(JSON.stringify({ ok: true, pad: 'x'.repeat(MAX_PAYLOAD - 30) })),
        new Uint8Array(0),
      ]);
      return [encodeFrame({ version: 1, type: FrameType.reply, id, payload })];
    }
    case 10: {
      // The reply, wrapped in log noise with terminal escapes and a damaged copy of itself.
      const damaged = frameOf(id, valid);
      damaged[damaged.length - 1] = damaged[damaged.length - 1]! ^ 0x01;
      return [text('\u001b[2J noise '.repeat(100) + '\n'), damaged, frameOf(id, valid)];
    }
    case 11:
      return [frameOf(id, valid), frameOf(id, valid)];
    case 12:
      // A boot storm: the device claims to restart over and over, or sends a malformed boot event.
      return rng.next() < 0.5
        ? Array.from({ length: 5 }, () =>
            frameOf(0, { event: 'boot', proto: 1, reason: 'crash', boots: 2 }, FrameType.event),
          )
        : [
            frameOf(0, { event: 'boot', proto: hostileValue(rng), reason: hostileString(rng) }, FrameType.event),
            frameOf(id, valid),
          ];
    case 13:
      return [frameOf(id, { ...valid, ['__proto__']: { ok: true, polluted: 'yes' } })];
    case 14:
      return rng.next() < 0.3 ? [] : [frameOf(id, valid)];
    default:
      return [frameOf(id, valid)];
  }
}

interface Scripted {
  client: DeviceClient;
  /** What the device does with the next request: lie, or answer truthfully. */
  mode: { lie: ((op: Operation, id: number) => Uint8Array[]) | undefined };
}

function scriptedDevice(): Scripted {
  const redactor = new SecretRedactor();
  // The caller (the pipeline) holds the secret for the whole run, as it does from mint to verify.
  redactor.add(SECRET);
  const decoder = new StreamDecoder();
  const parser = new StreamDecoder();
  const mode: Scripted['mode'] = { lie: undefined };
  const feed = (bytes: Uint8Array) => {
    for (const item of parser.push(bytes)) {
      if (item.kind === 'line') client.receive({ kind: 'line', text: sanitizeLine(item.bytes), cut: item.cut });
      else client.receive(item);
    }
  };
  const short = 40;
  const client: DeviceClient = new DeviceClient({
    portName: '/dev/ttyFUZZ',
    redactor,
    baudRate: 100_000_000,
    now: () => 2_000_000_000_000,
    timeouts: Object.fromEntries(Object.keys(VALID).map((op) => [op, short])),
    write: async (bytes) => {
      for (const item of decoder.push(bytes)) {
        if (item.kind !== 'frame') continue;
        const op = decodeJsonPayload(item.frame.payload)?.['op'] as Operation;
        const out = mode.lie ? mode.lie(op, item.frame.id) : [frameOf(item.frame.id, VALID[op])];
        setTimeout(() => out.forEach(feed), 0);
      }
    },
  });
  // Anything still held after a lie (a frame cut short) is given up, as the parser's timer does.
  const expire = setInterval(() => parser.expire().forEach((item) => item.kind !== 'line' && client.receive(item)), 15);
  expire.unref();
  return { client, mode };
}

function call(client: DeviceClient, op: Operation): Promise<unknown> {
  switch (op) {
    case 'hello':
      return client.hello();
    case 'stage':
      return client.stage({ deviceId: DEVICE_ID, key: KEY, secret: SECRET, apiUrl: 'https://api.example.test' });
    case 'test':
      return client.test('staged', 'nonce-fuzz-0001');
    case 'commit':
      return client.commit();
    case 'confirm':
      return client.confirm();
    case 'rollback':
      return client.rollback();
    case 'discard':
      return client.discard();
    case 'wipe':
      return client.wipe('HW-FUZZ-1');
    case 'identify':
      return client.identify(3);
    case 'log':
      return client.log({ lines: 5 });
    case 'reboot':
      return client.reboot(0);
  }
}

// Control characters other than tab: what could steer a terminal or forge a line.
// eslint-disable-next-line no-control-regex -- the point is to find control characters.
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('DeviceClient against a lying device (seeded fuzz)', () => {
  it('answers every call with a valid result or a clean typed error, and stays usable', async () => {
    const ops = Object.keys(VALID) as Operation[];
    const { client, mode } = scriptedDevice();
    await client.hello();
    const seen = new Map<string, number>();
    let cases = 0;
    for (let seed = 1; seed <= SEEDS; seed++) {
      const rng = random(seed);
      for (const op of ops) {
        cases++;
        const where = `seed ${seed}, ${op}`;
        mode.lie = (requested, id) => lie(rng, requested, id);
        let outcome: unknown;
        let resolved = false;
        try {
          outcome = await call(client, op);
          resolved = true;
          seen.set('ok', (seen.get('ok') ?? 0) + 1);
        } catch (error) {
          if (!(error instanceof SerialError))
            throw new Error(`${where}: not a SerialError: ${String(error)}`, { cause: error });
          seen.set(error.code, (seen.get(error.code) ?? 0) + 1);
          expect(CODES, where).toContain(error.code);
          expect(error.message.length, where).toBeLessThan(1000);
          expect(error.message, where).not.toMatch(CONTROL);
          expect(error.message, where).not.toMatch(/\[native code\]|\[object Object\]|undefined/);
          for (const form of SECRET_FORMS) expect(error.message, where).not.toContain(form);
          if (error.deviceCode !== undefined) expect(error.deviceCode, where).not.toMatch(CONTROL);
        }
        if (resolved && op === 'hello')
          expect(HelloReply.safeParse({ ok: true, ...(outcome as object) }).success, where).toBe(true);
        if (resolved && op === 'stage') expect((outcome as { fingerprint: string }).fingerprint, where).toBe(FP);
        expect(({} as Record<string, unknown>)['polluted'], where).toBeUndefined();

        // The unit tells the truth again: the client must be back in business at once.
        mode.lie = undefined;
        const info = await client.hello();
        expect(info.hwid, where).toBe('HW-FUZZ-1');
      }
    }
    expect(cases).toBe(SEEDS * ops.length);
    // The generator reached the interesting outcomes, not only one of them.
    for (const code of ['ok', 'SERIAL_BAD_REPLY', 'SERIAL_DEVICE_ERROR', 'SERIAL_TIMEOUT', 'SERIAL_DEVICE_RESET']) {
      expect(seen.get(code) ?? 0, `${code} in ${JSON.stringify([...seen])}`).toBeGreaterThan(5);
    }
  }, 120_000);
});
