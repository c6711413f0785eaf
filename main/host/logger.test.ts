import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { SecretRedactor } from '../security/secret-redactor';
import { createLogger } from './logger';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      lines.push(String(chunk));
      callback();
    },
  });
  return { lines, destination };
}

describe('logger', () => {
  it('censors secret-bearing fields by name', () => {
    const { lines, destination } = capture();
    const logger = createLogger({ destination });
    logger.info(
      { secret: 's3cr3t-value-1', nested: { refreshToken: 'rt-value-123' }, headers: { authorization: 'Bearer x' } },
      'minted',
    );
    const text = lines.join('');
    expect(text).not.toContain('s3cr3t-value-1');
    expect(text).not.toContain('rt-value-123');
    expect(text).not.toContain('Bearer x');
  });

  it('redacts held secrets wherever they appear, even in free text', () => {
    const { lines, destination } = capture();
    const redactor = new SecretRedactor();
    redactor.add('0123456789abcdef0123');
    const logger = createLogger({ destination, redactor });
    logger.warn({ line: 'device says key=0123456789abcdef0123' }, 'device log');
    expect(lines.join('')).not.toContain('0123456789abcdef0123');
  });
});
