import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  BootEvent,
  crc32,
  decodeJsonPayload,
  encodeFrame,
  encodeJsonPayload,
  ErrorReply,
  FrameType,
  REPLY_SCHEMAS,
  Request,
  StreamDecoder,
} from '../../../common/serial';

const doc = readFileSync(path.resolve(__dirname, '../../../docs/serial-protocol.md'), 'utf8');

interface DocExample {
  title: string;
  json: string;
  bytes: Uint8Array;
}

function examples(): DocExample[] {
  const found: DocExample[] = [];
  const pattern = /#### (.+)\n\n```text\njson: (.+)\nframe \((\d+) bytes\):\n([0-9a-f \n]+?)\n```/g;
  for (const match of doc.matchAll(pattern)) {
    const bytes = Uint8Array.from(match[4]!.trim().split(/\s+/), (hex) => parseInt(hex, 16));
    expect(bytes.length, match[1]).toBe(Number(match[3]));
    found.push({ title: match[1]!, json: match[2]!, bytes });
  }
  return found;
}

describe('docs/serial-protocol.md examples', () => {
  it('has every kind of frame: requests, replies, an error, an event, another version', () => {
    const titles = examples().map((example) => example.title);
    expect(titles.length).toBeGreaterThanOrEqual(10);
    for (const word of ['hello request', 'stage request', 'test reply', 'error reply', 'boot event', 'version 0']) {
      expect(
        titles.some((title) => title.includes(word)),
        word,
      ).toBe(true);
    }
  });

  it('each example decodes to its JSON with a valid CRC, and the encoder reproduces it byte for byte', () => {
    for (const example of examples()) {
      const items = new StreamDecoder().push(example.bytes);
      expect(items, example.title).toHaveLength(1);
      const item = items[0]!;
      if (item.kind !== 'frame') throw new Error(`${example.title}: ${item.kind}`);
      const body = decodeJsonPayload(item.frame.payload);
      expect(body, example.title).toEqual(JSON.parse(example.json));
      expect(encodeFrame({ ...item.frame, payload: encodeJsonPayload(body!) }), example.title).toEqual(example.bytes);

      // Each payload is valid for its role, so the examples teach the schemas too.
      if (item.frame.type === FrameType.request) expect(Request.safeParse(body).success, example.title).toBe(true);
      if (item.frame.type === FrameType.event) expect(BootEvent.safeParse(body).success, example.title).toBe(true);
      if (item.frame.type === FrameType.reply && body!['ok'] === false) {
        expect(ErrorReply.safeParse(body).success, example.title).toBe(true);
      }
    }
  });

  it('replies match the schema of the operation they answer', () => {
    const byTitle = new Map(examples().map((example) => [example.title, JSON.parse(example.json) as unknown]));
    const check = (prefix: string, op: keyof typeof REPLY_SCHEMAS) => {
      const entry = [...byTitle].find(([title]) => title.startsWith(prefix));
      expect(entry, prefix).toBeDefined();
      expect(REPLY_SCHEMAS[op].safeParse(entry![1]).success, prefix).toBe(true);
    };
    check('hello reply', 'hello');
    check('stage reply', 'stage');
    check('test reply', 'test');
  });

  it('states the fingerprint and the CRC check value that the code computes', () => {
    const input = doc.match(/the fingerprint input is the ASCII string\n?\s*`([^`]+)`/)?.[1];
    const fingerprint = doc.match(/the fingerprint\n?\s*is `([0-9a-f]{64})`/)?.[1];
    expect(input).toBeDefined();
    expect(createHash('sha256').update(input!, 'utf8').digest('hex')).toBe(fingerprint);
    expect(doc).toContain('`0xCBF43926`');
    expect(crc32(new TextEncoder().encode('123456789')).toString(16)).toBe('cbf43926');
    const random = new Uint8Array(8192).map((_, i) => (i * 2654435761) >>> 24);
    expect(crc32(random)).toBe(zlibCrc32(random));
  });
});
