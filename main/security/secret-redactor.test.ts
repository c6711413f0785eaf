import { describe, expect, it } from 'vitest';
import { REDACTED, SecretRedactor } from './secret-redactor';

describe('SecretRedactor', () => {
  const secret = 'f3a9c1e07b2d4c5e8a9b0c1d2e3f4a5b';

  it('replaces a held secret in raw, hex and base64 forms', () => {
    const redactor = new SecretRedactor();
    redactor.add(secret);
    const hex = Buffer.from(secret).toString('hex');
    const base64 = Buffer.from(secret).toString('base64');
    const line = `raw=${secret} hex=${hex} HEX=${hex.toUpperCase()} b64=${base64}`;
    const out = redactor.redact(line);
    expect(out).not.toContain(secret);
    expect(out).not.toContain(hex);
    expect(out).not.toContain(base64.replace(/=+$/, ''));
    expect(out.split(REDACTED)).toHaveLength(5);
  });

  it('stops redacting once released', () => {
    const redactor = new SecretRedactor();
    const release = redactor.add(secret);
    release();
    expect(redactor.redact(secret)).toBe(secret);
    expect(redactor.size).toBe(0);
  });

  it('keeps a secret registered twice until both holders release it', () => {
    const redactor = new SecretRedactor();
    const first = redactor.add(secret);
    const second = redactor.add(secret);
    first();
    expect(redactor.redact(secret)).toBe(REDACTED);
    second();
    expect(redactor.redact(secret)).toBe(secret);
  });

  it('escapes secrets that contain regular-expression characters', () => {
    const redactor = new SecretRedactor();
    redactor.add('a+b*c?d(e)f[g]h');
    expect(redactor.redact('x a+b*c?d(e)f[g]h y')).toBe(`x ${REDACTED} y`);
  });

  it('follows secrets coming and going between redactions, one per lane as in a batch', () => {
    const redactor = new SecretRedactor();
    const other = 'c0ffee00c0ffee00c0ffee00c0ffee00';
    const releaseFirst = redactor.add(secret);
    expect(redactor.redact(`a ${secret} b ${other}`)).toBe(`a ${REDACTED} b ${other}`);
    const releaseOther = redactor.add(other);
    expect(redactor.redact(`a ${secret} b ${other}`)).toBe(`a ${REDACTED} b ${REDACTED}`);
    releaseFirst();
    expect(redactor.redact(`a ${secret} b ${Buffer.from(other).toString('base64')}`)).toBe(`a ${secret} b ${REDACTED}`);
    releaseOther();
    expect(redactor.redact(`a ${secret} b ${other}`)).toBe(`a ${secret} b ${other}`);
  });

  it('replaces the longer of two overlapping secrets whole', () => {
    const redactor = new SecretRedactor();
    redactor.add('abcdefgh12');
    redactor.add('xxabcdefgh12yy');
    expect(redactor.redact('[xxabcdefgh12yy] [abcdefgh12]')).toBe(`[${REDACTED}] [${REDACTED}]`);
  });
});
