import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it, vi } from 'vitest';
import { encodeFrame, encodeJsonPayload, FrameType } from '../../common/serial';
import { FrameParser, sanitizeLine, type SerialItem } from './frame-parser';

const reply = (id: number, body: Record<string, unknown>) =>
  Buffer.from(encodeFrame({ version: 1, type: FrameType.reply, id, payload: encodeJsonPayload(body) }));

function collect(parser: FrameParser): SerialItem[] {
  const items: SerialItem[] = [];
  parser.on('data', (item: SerialItem) => items.push(item));
  return items;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('FrameParser', () => {
  it('emits frames and log lines in order, with terminal control characters escaped', async () => {
    const parser = new FrameParser();
    const items = collect(parser);
    parser.write(Buffer.from('\u001b[31mE (10) boot: red alert\r\n'));
    parser.write(reply(3, { ok: true }));
    parser.write(Buffer.from('tab\tkept\n'));
    await sleep(0);
    expect(items).toEqual([
      { kind: 'line', text: '\\x1b[31mE (10) boot: red alert', cut: false },
      expect.objectContaining({ kind: 'frame', frame: expect.objectContaining({ id: 3 }) }),
      { kind: 'line', text: 'tab\tkept', cut: false },
    ]);
    parser.destroy();
  });

  it('gives up on a frame whose bytes stopped coming, then reads the next one', async () => {
    const parser = new FrameParser({ baudRate: 115200, frameGraceMs: 30 });
    const items = collect(parser);
    const whole = reply(4, { ok: true, padding: 'x'.repeat(40) });
    parser.write(whole.subarray(0, 20));
    await sleep(60);
    // About 44 ms here; later on a loaded machine, whose late timers give the line more time.
    await vi.waitFor(() => expect(items.length).toBeGreaterThan(0), { timeout: 3000, interval: 10 });
    expect(items).toEqual([expect.objectContaining({ kind: 'damaged', reason: 'truncated', id: 4 })]);
    parser.write(reply(5, { ok: true }));
    await sleep(0);
    expect(items.at(-1)).toEqual(expect.objectContaining({ kind: 'frame', frame: expect.objectContaining({ id: 5 }) }));
    parser.destroy();
  });

  it('does not give up on a frame while the station itself was too busy to read the rest', async () => {
    const parser = new FrameParser({ baudRate: 115200, frameGraceMs: 30 });
    const items = collect(parser);
    const whole = reply(6, { ok: true, padding: 'x'.repeat(200) });
    parser.write(whole.subarray(0, 20));
    await sleep(0);
    // The rest is already waiting (like bytes in the kernel's tty buffer), but the event loop is
    // blocked past the stall deadline; after it, timers run before the rest is read.
    setImmediate(() => parser.write(whole.subarray(20)));
    const until = performance.now() + 150;
    while (performance.now() < until);
    await sleep(60);
    expect(items).toEqual([expect.objectContaining({ kind: 'frame', frame: expect.objectContaining({ id: 6 }) })]);
    parser.destroy();
  });

  it('emits a partial line after the device has been quiet for a while', async () => {
    const parser = new FrameParser({ lineIdleMs: 40 });
    const items = collect(parser);
    parser.write(Buffer.from('Connecting to wifi....'));
    await sleep(10);
    expect(items).toEqual([]);
    await sleep(80);
    expect(items).toEqual([{ kind: 'line', text: 'Connecting to wifi....', cut: true }]);
    parser.destroy();
  });

  it('escapes invalid UTF-8 and C1 controls instead of passing them on', () => {
    expect(sanitizeLine(Uint8Array.from([0x41, 0xff, 0xc2, 0x9b, 0x42]))).toBe('A\ufffd\\x9bB');
  });

  it('takes tens of megabytes of random and hostile bytes without throwing or keeping them', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const parser = new FrameParser();
    let frames = 0;
    let lines = 0;
    parser.on('data', (item: SerialItem) => {
      if (item.kind === 'frame') frames++;
      if (item.kind === 'line') lines++;
    });
    let seed = 0x2545f491;
    const next = () => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return seed >>> 0;
    };
    const hostileHeader = Uint8Array.of(0xf5, 0x4b, 1, 2, 9, 0, 0x00, 0x40, 0xff, 0xbf);
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let round = 0; round < 400; round++) {
      const chunk = Buffer.alloc(64 * 1024);
      for (let i = 0; i < chunk.length; i += 4) chunk.writeUInt32LE(next(), i);
      if (round % 3 === 0) for (let at = 0; at + 10 < chunk.length; at += 997) chunk.set(hostileHeader, at);
      if (round % 5 === 0) chunk.set(reply(round, { ok: true }), 100);
      parser.write(chunk);
    }
    await sleep(0);
    gc();
    const grown = process.memoryUsage().heapUsed - before;
    expect(frames).toBeGreaterThan(0);
    expect(lines).toBeGreaterThan(0);
    // 25 MB went through; what stays is bounded by one frame and one line, far below this.
    expect(grown).toBeLessThan(8 * 1024 * 1024);
    expect(parser.readableLength).toBe(0);
    parser.destroy();
  });
});
