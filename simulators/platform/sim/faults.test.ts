import { describe, expect, it } from 'vitest';
import { FaultSpec, Faults } from './faults';

describe('Faults', () => {
  it('matches * within a segment and ** across, by method, for the given number of calls', () => {
    const faults = new Faults();
    faults.add(FaultSpec.parse({ method: 'post', path: '/applications/*/keys', status: 500, times: 2 }));
    expect(faults.take('GET', '/applications/a/keys')).toBeUndefined();
    expect(faults.take('POST', '/applications/a/b/keys')).toBeUndefined();
    expect(faults.take('POST', '/applications/a/keys')).toMatchObject({ remaining: 1, matched: 1 });
    expect(faults.take('POST', '/applications/b/keys')).toMatchObject({ remaining: 0, matched: 2 });
    expect(faults.take('POST', '/applications/a/keys')).toBeUndefined();

    faults.add(FaultSpec.parse({ path: '/applications/**', drop: true }));
    expect(faults.take('GET', '/applications/a/devices/b/state')).toMatchObject({ drop: true });
    expect(faults.list()).toEqual([]);
  });

  it('treats regular expression characters literally', () => {
    const faults = new Faults();
    faults.add(FaultSpec.parse({ path: '/a.b', status: 500 }));
    expect(faults.take('GET', '/axb')).toBeUndefined();
    expect(faults.take('GET', '/a.b')).toBeDefined();
  });

  it('refuses a fault that both drops and answers', () => {
    expect(FaultSpec.safeParse({ path: '/x', drop: true, status: 500 }).success).toBe(false);
  });
});
