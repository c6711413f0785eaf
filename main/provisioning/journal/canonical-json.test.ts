import { describe, expect, it } from 'vitest';
import { canonicalJson, recordHash } from './canonical-json';

describe('canonicalJson', () => {
  it('sorts keys at every level and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: 'x' }, u: undefined })).toBe(
      '{"a":{"c":"x","d":[1,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('gives the same hash whatever the key order of the line', () => {
    const one = JSON.parse('{"seq":1,"kind":"x","prevHash":"p","text":"é\\u2028"}') as object;
    const two = JSON.parse('{"text":"é\\u2028","prevHash":"p","kind":"x","seq":1}') as object;
    expect(recordHash('p', one)).toBe(recordHash('p', two));
    expect(recordHash('p', one)).not.toBe(recordHash('q', one));
  });

  it('refuses numbers JSON cannot carry', () => {
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(TypeError);
  });
});
