import { describe, expect, it } from 'vitest';
import { ScanBuffer } from './scanner';

function type(buffer: ScanBuffer, text: string, start: number, gap: number): number {
  let time = start;
  for (const char of text) {
    buffer.key(char, time);
    time += gap;
  }
  return time - gap;
}

describe('ScanBuffer', () => {
  it('takes keys that arrive as fast as a scanner sends them, ended by Enter, as one scan', () => {
    const buffer = new ScanBuffer();
    const end = type(buffer, 'WO-2231', 1000, 8);
    expect(buffer.enter(end + 10)).toBe('WO-2231');
  });

  it('never takes a person typing for a scan', () => {
    const buffer = new ScanBuffer();
    const end = type(buffer, 'abcd', 1000, 180);
    expect(buffer.enter(end + 150)).toBeUndefined();
  });

  it('keeps a scan with one late key (a busy machine), but not a fast typist', () => {
    const buffer = new ScanBuffer();
    let end = type(buffer, 'KL-DEMO', 0, 4);
    buffer.key('-', end + 120);
    end = type(buffer, '0001', end + 124, 4);
    expect(buffer.enter(end + 4)).toBe('KL-DEMO-0001');
    const typist = type(buffer, 'hello', 10_000, 70);
    expect(buffer.enter(typist + 70)).toBeUndefined();
  });

  it('drops slow keys before a fast burst, and ignores a bare Enter', () => {
    const buffer = new ScanBuffer();
    buffer.key('x', 0);
    const end = type(buffer, 'KL-DEMO-0001', 500, 5);
    expect(buffer.enter(end + 5)).toBe('KL-DEMO-0001');
    expect(buffer.enter(end + 20)).toBeUndefined();
  });

  it('ignores codes shorter than the minimum', () => {
    const buffer = new ScanBuffer({ minLength: 4 });
    const end = type(buffer, 'ab', 0, 5);
    expect(buffer.enter(end + 5)).toBeUndefined();
  });
});
