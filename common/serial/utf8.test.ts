import { describe, expect, it } from 'vitest';
import { utf8Decode, utf8Encode } from './utf8';

describe('utf8', () => {
  it('encodes like TextEncoder, astral characters and lone surrogates included', () => {
    for (const text of ['', 'plain', 'Grüße', '€ 5', '𝄞 music', 'a\ud800b', '\udc00']) {
      expect(utf8Encode(text)).toEqual(new TextEncoder().encode(text));
    }
  });

  it('decodes valid text exactly and malformed bytes to U+FFFD without throwing', () => {
    const text = 'Grüße 𝄞 € ok';
    expect(utf8Decode(new TextEncoder().encode(text))).toBe(text);
    for (const bytes of [[0xf5], [0xc3], [0xe2, 0x82], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xff, 0x41]]) {
      const decoded = utf8Decode(Uint8Array.from(bytes));
      expect(decoded).toContain('\ufffd');
    }
    expect(utf8Decode(Uint8Array.from([0xc3, 0x41]))).toBe('\ufffdA');
  });
});
