import { describe, expect, it } from 'vitest';
import { encodeFrame, FrameType, MAX_FRAME, PROTOCOL_VERSION } from './frame';
import { type DecodedItem, StreamDecoder } from './stream-decoder';

/**
 * Structured fuzz of the frame decoder (stream-decoder.test.ts throws random bytes at it; this
 * builds streams whose right answer is known). A seeded generator writes a stream of log text,
 * intact frames and frames damaged on the wire (a flipped byte, bytes lost, a cut-off tail, a
 * forged header), and feeds it in random chunk sizes. Whatever the damage around them, every
 * intact frame must come out exactly once, in order, byte for byte, and nothing may be invented.
 * A failing seed replays the case exactly.
 */

/** Deterministic PRNG (mulberry32). */
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

const encoder = new TextEncoder();

/** Log text as firmware prints it: ASCII, UTF-8, ANSI colours, CR LF, never a 0xF5 (invalid in UTF-8). */
function logText(rng: Random): Uint8Array {
  const pieces = [
    'I (312) boot: ESP-IDF v5.1 2nd stage bootloader\r\n',
    '\u001b[0;32mI (45) wifi: connected\u001b[0m\n',
    'rst:0x1 (POWERON_RESET),boot:0x13\n',
    'température 21°C — ok ✓\n',
    '<img src=x onerror=alert(1)>\n',
    'partial line without end ',
    'K'.repeat(rng.int(3000)),
    '\n',
  ];
  return encoder.encode(Array.from({ length: 1 + rng.int(4) }, () => rng.pick(pieces)).join(''));
}

function intactFrame(rng: Random, id: number): Uint8Array {
  const body = JSON.stringify({ ok: true, id, pad: 'x'.repeat(rng.int(rng.next() < 0.1 ? 15000 : 300)) });
  const type = rng.pick([FrameType.reply, FrameType.event, FrameType.request]);
  return encodeFrame({ version: PROTOCOL_VERSION, type, id, payload: encoder.encode(body) });
}

/** A frame as the wire may deliver it after noise: never a valid frame any more. */
function damagedFrame(rng: Random, id: number): Uint8Array {
  const whole = intactFrame(rng, id);
  switch (rng.int(5)) {
    case 0: {
      // One byte flipped anywhere after the magic: header check, length check or CRC catches it.
      const copy = whole.slice();
      const at = 2 + rng.int(copy.length - 2);
      copy[at] = copy[at]! ^ (1 + rng.int(255));
      return copy;
    }
    case 1: {
      // 1 to 8 bytes lost in the middle.
      const at = 1 + rng.int(whole.length - 10);
      return Uint8Array.from([...whole.subarray(0, at), ...whole.subarray(at + 1 + rng.int(8))]);
    }
    case 2:
      // The tail never came.
      return whole.subarray(0, 1 + rng.int(whole.length - 2));
    case 3: {
      // A forged header announcing a maximal frame, with a sound length check and no body.
      return Uint8Array.of(0xf5, 0x4b, 1, 2, id & 0xff, id >> 8, 0x00, 0x40, 0xff, 0xbf);
    }
    default: {
      // A lone magic byte, or magic plus garbage.
      return rng.next() < 0.5 ? Uint8Array.of(0xf5) : Uint8Array.of(0xf5, 0x4b, ...encoder.encode('garbage'));
    }
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('StreamDecoder under a structured seeded fuzz', () => {
  it('finds every intact frame exactly once and in order, whatever the damage and the chunking', () => {
    let intactTotal = 0;
    let damagedTotal = 0;
    for (let seed = 1; seed <= 150; seed++) {
      const rng = random(seed);
      const parts: Uint8Array[] = [];
      const expected: string[] = [];
      let id = 1;
      for (let i = 0; i < 40; i++) {
        const roll = rng.next();
        if (roll < 0.35) parts.push(logText(rng));
        else if (roll < 0.75) {
          const frame = intactFrame(rng, id++);
          parts.push(frame);
          expected.push(hex(frame));
        } else {
          parts.push(damagedFrame(rng, id++));
          damagedTotal++;
        }
      }
      intactTotal += expected.length;
      const stream = concat(parts);
      const decoder = new StreamDecoder();
      const items: DecodedItem[] = [];
      for (let at = 0; at < stream.length;) {
        const size = rng.pick([1, 7, 64, 1024, 4096, 20000]);
        items.push(...decoder.push(stream.subarray(at, at + size)));
        expect(decoder.pending.bytes, `seed ${seed}`).toBeLessThanOrEqual(MAX_FRAME);
        expect(decoder.pendingLineBytes, `seed ${seed}`).toBeLessThanOrEqual(1024);
        at += size;
      }
      // The line went quiet: what is still held is given up and rescanned, as the parser's timer does.
      for (let round = 0; round < 10_000 && decoder.pending.bytes > 0; round++) items.push(...decoder.expire());
      items.push(...decoder.flushLine());
      expect(decoder.pending.bytes).toBe(0);

      const found = items
        .filter((item) => item.kind === 'frame')
        .map((item) => {
          const { frame } = item as Extract<DecodedItem, { kind: 'frame' }>;
          return hex(encodeFrame(frame));
        });
      expect(found, `seed ${seed}`).toEqual(expected);
      for (const item of items) {
        if (item.kind === 'line') expect(item.bytes.length, `seed ${seed}`).toBeLessThanOrEqual(1024);
      }
    }
    // The generator really did mix both kinds in quantity.
    expect(intactTotal).toBeGreaterThan(2000);
    expect(damagedTotal).toBeGreaterThan(1000);
  });

  it('never turns log text into a frame, however the text is split', () => {
    for (let seed = 1000; seed < 1050; seed++) {
      const rng = random(seed);
      const text = concat(Array.from({ length: 30 }, () => logText(rng)));
      const decoder = new StreamDecoder();
      const items: DecodedItem[] = [];
      for (let at = 0; at < text.length; at += 1 + rng.int(300))
        items.push(...decoder.push(text.subarray(at, at + 1 + rng.int(300))));
      expect(items.some((item) => item.kind !== 'line')).toBe(false);
    }
  });
});
