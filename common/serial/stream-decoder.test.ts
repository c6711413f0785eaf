import { describe, expect, it } from 'vitest';
import { encodeFrame, FrameType, HEADER_SIZE, MAX_PAYLOAD, PROTOCOL_VERSION } from './frame';
import { type DecodedItem, StreamDecoder } from './stream-decoder';

const text = (s: string) => new TextEncoder().encode(s);
const frame = (id: number, body: string, type: FrameType = FrameType.reply) =>
  encodeFrame({ version: PROTOCOL_VERSION, type, id, payload: text(body) });
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
};

function summarize(items: DecodedItem[]): string[] {
  return items.map((item) => {
    if (item.kind === 'frame') return `frame ${item.frame.id} ${new TextDecoder().decode(item.frame.payload)}`;
    if (item.kind === 'line') return `line ${new TextDecoder().decode(item.bytes)}${item.cut ? ' (cut)' : ''}`;
    return `damaged ${item.reason} ${item.id}`;
  });
}

/** Deterministic PRNG (mulberry32) so a failing fuzz case can be replayed from its seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('StreamDecoder', () => {
  it('separates frames from the log lines around them, however the bytes are split', () => {
    const stream = concat(
      text('I (312) boot: starting\r\n'),
      frame(7, '{"ok":true}'),
      text('half a line '),
      frame(8, '{"ok":false}'),
      text('and the rest\n'),
    );
    const expected = [
      'line I (312) boot: starting',
      'frame 7 {"ok":true}',
      'frame 8 {"ok":false}',
      'line half a line and the rest',
    ];
    for (let split = 1; split <= stream.length; split++) {
      const decoder = new StreamDecoder();
      const items: DecodedItem[] = [];
      for (let at = 0; at < stream.length; at += split) items.push(...decoder.push(stream.subarray(at, at + split)));
      expect(summarize(items), `chunks of ${split}`).toEqual(expected);
    }
  });

  it('reports a flipped byte as a CRC failure and still finds the next frame', () => {
    const damaged = frame(3, '{"ok":true,"slots":{}}');
    damaged[HEADER_SIZE + 4] = damaged[HEADER_SIZE + 4]! ^ 0x20;
    const items = new StreamDecoder().push(concat(damaged, frame(4, '{"ok":true}'), text('after\n')));
    expect(summarize(items)).toEqual(['damaged crc 3', 'frame 4 {"ok":true}', 'line after']);
  });

  it('recovers a frame swallowed by an earlier frame that lost bytes', () => {
    const short = frame(5, '{"ok":true,"padding":"xxxxxxxxxxxxxxxxxxxxxxxx"}');
    const lossy = concat(short.subarray(0, 20), short.subarray(26));
    const items = new StreamDecoder().push(concat(lossy, frame(6, '{"ok":true}')));
    expect(summarize(items)).toEqual(['damaged crc 5', 'frame 6 {"ok":true}']);
  });

  it('gives up on an incomplete frame when told it expired, and rescans what it held', () => {
    const decoder = new StreamDecoder();
    const whole = frame(9, '{"ok":true}');
    expect(decoder.push(concat(whole.subarray(0, 12)))).toEqual([]);
    expect(decoder.pending.bytes).toBe(12);
    expect(summarize(decoder.expire())).toEqual(['damaged truncated 9']);
    expect(decoder.pending.bytes).toBe(0);
    expect(summarize(decoder.push(concat(text('boot\n'), whole)))).toEqual(['line boot', 'frame 9 {"ok":true}']);
  });

  it('treats a magic byte with a wrong header as text', () => {
    const items = new StreamDecoder().push(text('\u00f5K is not a frame\n'));
    expect(items).toHaveLength(1);
    expect(
      summarize(new StreamDecoder().push(concat(Uint8Array.of(0xf5, 0x4b, 1, 2, 0, 0, 5, 0, 5, 0), text('x\n')))),
    ).toEqual([`line \ufffdK\u0001\u0002\u0000\u0000\u0005\u0000\u0005\u0000x`]);
  });

  it('refuses a header announcing more than the maximum payload', () => {
    const header = Uint8Array.of(0xf5, 0x4b, 1, 2, 1, 0, 0x01, 0x40, 0xfe, 0xbf); // 16385 bytes
    const decoder = new StreamDecoder();
    const items = decoder.push(concat(header, frame(2, '{}')));
    expect(decoder.pending.bytes).toBe(0);
    expect(summarize(items).at(-1)).toBe('frame 2 {}');
    const max = encodeFrame({
      version: 1,
      type: FrameType.reply,
      id: 1,
      payload: new Uint8Array(MAX_PAYLOAD).fill(0x20),
    });
    expect(new StreamDecoder().push(max)[0]?.kind).toBe('frame');
  });

  it('cuts endless lines and flushes an idle partial line', () => {
    const decoder = new StreamDecoder({ maxLine: 16 });
    const items = decoder.push(text('0123456789abcdefXYZ'));
    expect(summarize(items)).toEqual(['line 0123456789abcdef (cut)']);
    expect(summarize(decoder.flushLine())).toEqual(['line XYZ (cut)']);
    expect(decoder.pendingLineBytes).toBe(0);
  });

  it('survives seeded random and hostile bytes without throwing or holding more than one frame', () => {
    for (const seed of [1, 2, 3, 42, 1337]) {
      const next = random(seed);
      const decoder = new StreamDecoder();
      let frames = 0;
      for (let round = 0; round < 200; round++) {
        const chunk = new Uint8Array(1 + Math.floor(next() * 2048));
        for (let i = 0; i < chunk.length; i++) {
          const pick = next();
          // Bias towards the bytes that steer the decoder: magic, newline, plausible lengths.
          chunk[i] = pick < 0.05 ? 0xf5 : pick < 0.1 ? 0x4b : pick < 0.12 ? 0x0a : Math.floor(next() * 256);
        }
        if (round % 10 === 0) chunk.set(frame(round, '{"ok":true}').subarray(0, Math.min(chunk.length, 21)));
        for (const item of decoder.push(chunk)) if (item.kind === 'frame') frames++;
        if (round % 7 === 0) decoder.expire();
        expect(decoder.pending.bytes).toBeLessThanOrEqual(HEADER_SIZE + MAX_PAYLOAD + 4);
        expect(decoder.pendingLineBytes).toBeLessThanOrEqual(1024);
      }
      expect(frames).toBeGreaterThanOrEqual(0);
    }
  });

  it('stays fast on crafted headers that each announce a maximal frame', () => {
    const header = Uint8Array.of(0xf5, 0x4b, 1, 2, 1, 0, 0x00, 0x40, 0xff, 0xbf); // 16384 bytes, bad CRC
    const hostile = new Uint8Array(header.length * 20000);
    for (let i = 0; i < 20000; i++) hostile.set(header, i * header.length);
    const decoder = new StreamDecoder();
    const started = performance.now();
    let damaged = 0;
    for (let at = 0; at < hostile.length; at += 4096) {
      for (const item of decoder.push(hostile.subarray(at, at + 4096))) if (item.kind === 'damaged') damaged++;
    }
    expect(damaged).toBeGreaterThan(0);
    expect(decoder.pending.bytes).toBeLessThanOrEqual(HEADER_SIZE + MAX_PAYLOAD + 4);
    // A generous bound: the point is "not quadratic", not a speed target.
    expect(performance.now() - started).toBeLessThan(20000);
  });
});
