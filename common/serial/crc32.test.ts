import { describe, expect, it } from 'vitest';
import { crc32 } from './crc32';

const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

describe('crc32', () => {
  it('is CRC-32/ISO-HDLC: the check value of "123456789" is 0xCBF43926', () => {
    expect(crc32(ascii('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
    expect(crc32(ascii('The quick brown fox jumps over the lazy dog'))).toBe(0x414fa339);
  });

  it('continues a running CRC from a previous result', () => {
    const bytes = new Uint8Array(4096).map((_, i) => (i * 2654435761) >>> 24);
    expect(crc32(bytes, 1000, 4096, crc32(bytes, 0, 1000))).toBe(crc32(bytes));
  });
});
