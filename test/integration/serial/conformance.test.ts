import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SerialPort } from 'serialport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDeviceSimulator, type DeviceSimulator } from '../../../simulators/device';

/*
 * A second implementation of docs/serial-protocol.md, written from the document alone and kept
 * apart from common/serial on purpose: frames are built and read here by hand (§2), and the
 * device simulator is driven with them over a real pty. If the document and the codec ever
 * disagree, this file fails where the shared codec's own tests cannot notice.
 */

const doc = readFileSync(path.resolve(__dirname, '../../../docs/serial-protocol.md'), 'utf8');

// ---- §2.2: CRC-32/ISO-HDLC, bitwise, exactly as the document's C code ----
function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

// ---- §2.1: the frame layout ----
interface RawFrame {
  version: number;
  type: number;
  id: number;
  payload: Buffer;
  /** The whole frame as it was on the wire. */
  bytes: Buffer;
}

function frame(type: number, id: number, payload: string | Buffer, version = 1): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  const header = Buffer.alloc(10);
  header[0] = 0xf5;
  header[1] = 0x4b;
  header[2] = version;
  header[3] = type;
  header.writeUInt16LE(id, 4);
  header.writeUInt16LE(body.length, 6);
  header.writeUInt16LE(body.length ^ 0xffff, 8);
  const crc = Buffer.alloc(4);
  crc.writeUInt32LE(crc32(Buffer.concat([header, body])));
  return Buffer.concat([header, body, crc]);
}

const request = (id: number, json: string, version = 1) => frame(0x01, id, json, version);

/** Reads one frame at `bytes[0]`; undefined unless every rule of §2.1 holds. */
function readFrame(bytes: Buffer): RawFrame | undefined {
  if (bytes.length < 14 || bytes[0] !== 0xf5 || bytes[1] !== 0x4b) return undefined;
  const length = bytes.readUInt16LE(6);
  if ((length ^ bytes.readUInt16LE(8)) !== 0xffff || length > 16384) return undefined;
  if (bytes.length < 10 + length + 4) return undefined;
  if (crc32(bytes.subarray(0, 10 + length)) !== bytes.readUInt32LE(10 + length)) return undefined;
  return {
    version: bytes[2]!,
    type: bytes[3]!,
    id: bytes.readUInt16LE(4),
    payload: bytes.subarray(10, 10 + length),
    bytes: bytes.subarray(0, 14 + length),
  };
}

/**
 * The host's receiver (§2.3), simplified for a device that behaves: text up to 0xF5, then a frame
 * if one is there; anything else that starts with 0xF5 is text.
 */
class Receiver {
  #buffer = Buffer.alloc(0);
  readonly frames: RawFrame[] = [];
  readonly lines: string[] = [];
  #waiters: Array<() => void> = [];

  push(chunk: Buffer): void {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    for (;;) {
      const magic = this.#buffer.indexOf(0xf5);
      const text = magic === -1 ? this.#buffer : this.#buffer.subarray(0, magic);
      const newline = text.lastIndexOf(0x0a);
      if (newline !== -1) {
        for (const line of text.subarray(0, newline).toString('latin1').split('\n')) {
          const trimmed = line.replace(/\r+$/, '');
          if (trimmed) this.lines.push(trimmed);
        }
        this.#buffer = this.#buffer.subarray(newline + 1);
        continue;
      }
      if (magic === -1) break;
      if (this.#buffer.length - magic < 10) break;
      const length = this.#buffer.readUInt16LE(magic + 6);
      const headerOk = this.#buffer[magic + 1] === 0x4b && (length ^ this.#buffer.readUInt16LE(magic + 8)) === 0xffff;
      if (!headerOk) {
        // Noise: drop the 0xF5 (with the text before it) and look again.
        this.#buffer = this.#buffer.subarray(magic + 1);
        continue;
      }
      if (this.#buffer.length - magic < 14 + length) break;
      const found = readFrame(this.#buffer.subarray(magic));
      if (found) this.frames.push({ ...found, payload: Buffer.from(found.payload), bytes: Buffer.from(found.bytes) });
      this.#buffer = this.#buffer.subarray(magic + (found ? found.bytes.length : 1));
    }
    for (const wake of this.#waiters.splice(0)) wake();
  }

  async next(match: (frame: RawFrame) => boolean, timeoutMs = 3000): Promise<RawFrame> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const index = this.frames.findIndex(match);
      if (index !== -1) return this.frames.splice(index, 1)[0]!;
      const left = deadline - performance.now();
      if (left <= 0) throw new Error('no such frame from the device');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** True when no frame matching `match` arrives within `ms`. */
  async none(match: (frame: RawFrame) => boolean, ms: number): Promise<boolean> {
    return this.next(match, ms).then(
      () => false,
      () => true,
    );
  }
}

const json = (frame: RawFrame) => JSON.parse(frame.payload.toString('utf8')) as Record<string, unknown>;
const replyTo = (id: number) => (frame: RawFrame) => frame.type === 0x02 && frame.id === id;
const hex24 = () => randomBytes(12).toString('hex');

let device: DeviceSimulator;
let port: SerialPort;
let rx: Receiver;
let nextId = 0x1200;

async function send(bytes: Buffer): Promise<void> {
  await new Promise<void>((resolve, reject) => port.write(bytes, (error) => (error ? reject(error) : resolve())));
  await new Promise<void>((resolve) => port.drain(() => resolve()));
}

async function call(body: string, version = 1): Promise<{ frame: RawFrame; reply: Record<string, unknown> }> {
  const id = nextId++;
  await send(request(id, body, version));
  const answer = await rx.next(replyTo(id));
  return { frame: answer, reply: json(answer) };
}

beforeAll(async () => {
  device = await startDeviceSimulator({
    hwid: 'KL-CONFORM-1',
    model: 'KL-SIM',
    bootMs: 60,
    chatterMs: 0,
    flashWriteMs: 5,
  });
  await device.whenReady();
  port = new SerialPort({ path: device.link, baudRate: 115200, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
  rx = new Receiver();
  port.on('data', (chunk: Buffer) => rx.push(chunk));
});
afterAll(async () => {
  if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
  await device?.close();
});

describe('the document read on its own', () => {
  it('its CRC is the one it names, and its worked example reads as it says', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(doc).toContain('check value (`"123456789"`) | `0xCBF43926`');
    const hello = request(1, '{"op":"hello"}');
    expect(hello.toString('hex').match(/../g)!.join(' ')).toBe(
      'f5 4b 01 01 01 00 0e 00 f1 ff 7b 22 6f 70 22 3a 22 68 65 6c 6c 6f 22 7d ba 96 1e 89',
    );
    expect(doc).toContain('`ba 96 1e 89` = CRC `0x891E96BA`');
    expect(hello.readUInt32LE(24)).toBe(0x891e96ba);
  });

  it('every example frame in §11 follows §2.1 byte for byte, as built by this file', () => {
    const pattern = /#### (.+)\n\n```text\njson: (.+)\nframe \((\d+) bytes\):\n([0-9a-f \n]+?)\n```/g;
    const found = [...doc.matchAll(pattern)];
    expect(found.length).toBeGreaterThanOrEqual(10);
    for (const [, title, text, size, hex] of found) {
      const bytes = Buffer.from(hex!.replace(/\s+/g, ''), 'hex');
      expect(bytes.length, title).toBe(Number(size));
      const parsed = readFrame(bytes);
      expect(parsed, title).toBeDefined();
      expect(parsed!.payload.toString('utf8'), title).toBe(text);
      expect(frame(parsed!.type, parsed!.id, text!, parsed!.version), title).toEqual(bytes);
      const body = JSON.parse(text!) as Record<string, unknown>;
      const expectedType = 'op' in body ? 0x01 : 'event' in body ? 0x03 : 0x02;
      expect(parsed!.type, title).toBe(expectedType);
      if (expectedType === 0x03) expect(parsed!.id, title).toBe(0);
    }
  });

  it('the fingerprint example is SHA-256 of key, colon, secret', () => {
    const key = doc.match(/example\s+access key is `([^`]+)`/)?.[1];
    const secret = doc.match(/example secret\s+`([^`]+)`/)?.[1];
    const fp = doc.match(/the fingerprint\s+is `([0-9a-f]{64})`/)?.[1];
    expect([key, secret, fp].every(Boolean)).toBe(true);
    expect(createHash('sha256').update(`${key}:${secret}`, 'ascii').digest('hex')).toBe(fp);
  });
});

describe('the device simulator against frames built from the document', () => {
  it('announces a start with a boot event (type 3, id 0) after its log text', async () => {
    await device.reboot();
    // The power-on boot event may still be on its way when the port opened (a loaded machine).
    const boot = await rx.next((frame) => frame.type === 0x03 && json(frame)['reason'] === 'reset');
    expect(boot).toMatchObject({ version: 1, id: 0 });
    expect(json(boot)).toMatchObject({ event: 'boot', proto: 1, reason: 'reset', boots: expect.any(Number) });
    expect(rx.lines.some((line) => line.includes('boot:'))).toBe(true);
  });

  it('answers hello with the reply type, the same id, and every field of §5.1', async () => {
    const { frame: answer, reply } = await call('{"op":"hello"}');
    expect(answer).toMatchObject({ version: 1, type: 0x02 });
    expect(reply).toMatchObject({
      ok: true,
      proto: 1,
      model: 'KL-SIM',
      hwid: 'KL-CONFORM-1',
      fw: expect.any(String),
      clock: { unix: expect.any(Number), valid: true },
      uptimeMs: expect.any(Number),
      boots: expect.any(Number),
      slots: { active: null, staged: null, previous: null, pending: false },
    });
    expect(['test', 'identify', 'log', 'mqtt']).toEqual(expect.arrayContaining(reply['caps'] as string[]));
    expect(reply['maxPayload']).toBeGreaterThanOrEqual(1024);
    expect(reply['maxPayload']).toBeLessThanOrEqual(16384);
  });

  it('answers a request with id 0 with id 0 (§3)', async () => {
    await send(request(0, '{"op":"identify","seconds":1}'));
    expect(json(await rx.next(replyTo(0)))).toEqual({ ok: true });
  });

  it('accepts any key order, whitespace and unknown fields (§4)', async () => {
    const { reply } = await call(' {\n  "later" : {"x": [1, 2]},\r\n  "op" : "hello"\t} ');
    expect(reply).toMatchObject({ ok: true, hwid: 'KL-CONFORM-1' });
  });

  it('refuses what is not a valid request with the codes and fields of §6.1', async () => {
    expect((await call('[1,2]')).reply).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', field: 'op' } });
    expect((await call('')).reply).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', field: 'op' } });
    expect((await call('\uFEFF{"op":"hello"}')).reply).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect((await call('{"op":"fly"}')).reply).toMatchObject({ ok: false, error: { code: 'UNKNOWN_OP' } });
    const bad = await call(
      JSON.stringify({ op: 'stage', deviceId: 'xyz', key: 'k', secret: 's', apiUrl: 'https://api.example.com' }),
    );
    expect(bad.reply).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', field: 'deviceId' } });
    const message = (bad.reply['error'] as { message: unknown }).message;
    expect(typeof message).toBe('string');
    expect(Buffer.byteLength(message as string)).toBeLessThanOrEqual(200);
    expect((await call('{"op":"commit"}')).reply).toMatchObject({ ok: false, error: { code: 'NO_STAGED' } });
  });

  it('answers another version with VERSION_UNSUPPORTED in its own version, same id, executing nothing', async () => {
    const { frame: answer, reply } = await call('{"op":"discard"}', 2);
    expect(answer).toMatchObject({ version: 1, type: 0x02 });
    expect(reply).toMatchObject({ ok: false, error: { code: 'VERSION_UNSUPPORTED' }, supported: [1] });
  });

  it('stages, proves the write by fingerprint, and answers a duplicate with the stored reply byte for byte (§3)', async () => {
    const key = `key-${randomBytes(6).toString('hex')}`;
    const secret = `secret-${randomBytes(12).toString('base64url')}`;
    const deviceId = hex24();
    const stage = JSON.stringify({ op: 'stage', deviceId, key, secret, apiUrl: 'https://api.example.com/' });
    const staged = await call(stage);
    const fp = createHash('sha256').update(`${key}:${secret}`).digest('hex');
    expect(staged.reply).toMatchObject({
      ok: true,
      fp,
      slots: { staged: { deviceId, key, keyId: null, fp: fp.slice(0, 16) }, pending: false },
    });
    expect(staged.frame.payload.toString()).not.toContain(secret);

    // commit twice with the identical frame: executed once, the same bytes answered twice.
    const id = nextId++;
    const commit = request(id, '{"op":"commit"}');
    await send(commit);
    const first = await rx.next(replyTo(id));
    await send(commit);
    const second = await rx.next(replyTo(id));
    expect(second.bytes).toEqual(first.bytes);
    expect(json(first)).toMatchObject({ ok: true, slots: { active: { deviceId }, staged: null, pending: true } });

    // The same id with another CRC is a new request: it runs, and finds nothing staged.
    await send(request(id, '{"op":"commit" }'));
    expect(json(await rx.next(replyTo(id)))).toMatchObject({ ok: false, error: { code: 'NO_STAGED' } });

    const confirmed = await call('{"op":"confirm"}');
    expect(confirmed.reply).toMatchObject({
      ok: true,
      slots: { active: { deviceId }, previous: null, pending: false },
    });
    const wrongUnit = await call('{"op":"wipe","hwid":"SOMEONE-ELSE"}');
    expect(wrongUnit.reply).toMatchObject({ ok: false, error: { code: 'HWID_MISMATCH' } });
    const wiped = await call('{"op":"wipe","hwid":"KL-CONFORM-1"}');
    expect(wiped.reply).toEqual({ ok: true, slots: { active: null, staged: null, previous: null, pending: false } });
  });

  it('drops damaged input silently and finds the next frame (§2.3, §6.1)', async () => {
    const damagedId = nextId++;
    const damaged = request(damagedId, '{"op":"identify","seconds":1}');
    damaged[12] = damaged[12]! ^ 0x01; // a payload bit: the CRC no longer matches
    const badCheck = request(nextId++, '{"op":"hello"}');
    badCheck[8] = badCheck[8]! ^ 0xff; // length check wrong: not a header
    const tooLong = Buffer.from([0xf5, 0x4b, 1, 1, 9, 0, 0x20, 0x4e, 0xdf, 0xb1]); // length 20000 > 16384
    const badType = frame(0x07, nextId++, '{"op":"hello"}');
    const notForDevice = frame(0x02, nextId++, '{"ok":true}'); // a reply sent to the device: ignored
    const id = nextId++;
    await send(
      Buffer.concat([
        damaged,
        badCheck,
        tooLong,
        badType,
        notForDevice,
        Buffer.from([0xf5, 0x00]),
        request(id, '{"op":"hello"}'),
      ]),
    );
    expect(json(await rx.next(replyTo(id)))).toMatchObject({ ok: true, hwid: 'KL-CONFORM-1' });
    expect(await rx.none((frame) => frame.type === 0x02 && frame.id !== id, 300)).toBe(true);
  });

  it('gives up on a request cut off mid-frame, so the next request is answered (§2.3 step 5, §7)', async () => {
    // A station that crashed while writing a stage request: the header promises 200 more bytes.
    const cut = request(nextId++, JSON.stringify({ op: 'stage', pad: 'x'.repeat(200) })).subarray(0, 24);
    await send(cut);
    const id = nextId++;
    await send(request(id, '{"op":"hello"}'));
    // Within the 1 s the device allows an incomplete frame, plus the host's own margin.
    expect(json(await rx.next(replyTo(id), 2500))).toMatchObject({ ok: true });
  });
});
