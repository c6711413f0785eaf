import { describe, expect, it } from 'vitest';
import { resolveDataDir } from './data-dir';

describe('resolveDataDir', () => {
  it('prefers the flag, then KEYLINE_DATA_DIR', () => {
    expect(resolveDataDir({ flag: '/tmp/a', env: { KEYLINE_DATA_DIR: '/tmp/b' } })).toBe('/tmp/a');
    expect(resolveDataDir({ env: { KEYLINE_DATA_DIR: '/tmp/b' } })).toBe('/tmp/b');
  });

  it('uses the per-user data folder of each platform', () => {
    expect(resolveDataDir({ env: {}, platform: 'linux', home: '/home/t' })).toBe('/home/t/.local/share/keyline');
    expect(resolveDataDir({ env: { XDG_DATA_HOME: '/x' }, platform: 'linux', home: '/home/t' })).toBe('/x/keyline');
    expect(resolveDataDir({ env: {}, platform: 'darwin', home: '/Users/t' })).toBe(
      '/Users/t/Library/Application Support/Keyline',
    );
  });
});
