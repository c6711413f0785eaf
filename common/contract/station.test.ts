import { describe, expect, it } from 'vitest';
import { StationPortPath } from './station';

describe('StationPortPath', () => {
  it('takes what operating systems and the sandbox name ports, and refuses anything else before a file is touched', () => {
    for (const path of [
      '/dev/ttyUSB0',
      '/tmp/keyline-sandbox-x/ttySandbox1',
      'COM3',
      '\\\\.\\COM12',
      'sandbox://unit-4',
    ]) {
      expect(StationPortPath.safeParse(path).success, path).toBe(true);
    }
    for (const path of ['', 'ttyUSB0', '../etc/passwd', 'http://127.0.0.1/', 'sandbox://../x', 'COM', '/dev/tty\0x']) {
      expect(StationPortPath.safeParse(path).success, JSON.stringify(path)).toBe(false);
    }
  });
});
