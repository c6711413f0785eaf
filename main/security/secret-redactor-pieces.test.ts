import { describe, expect, it } from 'vitest';
import { REDACTED, SecretRedactor } from './secret-redactor';

describe('SecretRedactor.redactPiece (text cut into pieces)', () => {
  const secret = 'piece-secret-0123456789abcdefghij';
  const redactor = new SecretRedactor();
  redactor.add(secret);

  it('masks the parts of a secret on both sides of a cut, in every encoding', () => {
    for (const form of [secret, Buffer.from(secret).toString('hex'), Buffer.from(secret).toString('base64')]) {
      for (const cut of [6, 10, form.length - 6]) {
        const first = redactor.redactPiece(`log: ${form.slice(0, cut)}`, { start: false, end: true });
        const second = redactor.redactPiece(`${form.slice(cut)} done`, { start: true, end: false });
        expect(first, `${form} cut at ${cut}`).toBe(`log: ${REDACTED}`);
        expect(second, `${form} cut at ${cut}`).toBe(`${REDACTED} done`);
      }
    }
  });

  it('leaves pieces alone that only look like a secret at an edge that was not cut', () => {
    expect(redactor.redactPiece(`log: ${secret.slice(0, 12)}`, { start: false, end: false })).toBe(
      `log: ${secret.slice(0, 12)}`,
    );
    expect(redactor.redactPiece(`${secret.slice(-12)} done`, { start: false, end: true })).toBe(
      `${secret.slice(-12)} done`,
    );
  });

  it('keeps ordinary text and parts shorter than six characters', () => {
    expect(redactor.redactPiece('zzzzzzzz', { start: true, end: true })).toBe('zzzzzzzz');
    expect(redactor.redactPiece('log: piece', { start: false, end: true })).toBe('log: piece');
    expect(redactor.redactPiece(`${secret} whole`, { start: true, end: true })).toBe(`${REDACTED} whole`);
  });
});
