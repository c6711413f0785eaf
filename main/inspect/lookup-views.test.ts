import { describe, expect, it } from 'vitest';
import { expiryWords, keyRestriction, scopeSummary } from './lookup-views';

describe('platform records in plain words', () => {
  it('summarises scopes', () => {
    expect(scopeSummary([])).toBe('No permissions');
    expect(scopeSummary(['all.Application.read'])).toMatch(/read/i);
    expect(scopeSummary(['device.sendState', 'device.get'])).toMatch(/^Custom: 2 actions \(/);
  });

  it('says when a token expires, against the given clock', () => {
    const now = Date.parse('2025-03-01T00:00:00.000Z');
    expect(expiryWords(null, now)).toEqual({ words: 'Never', expired: false });
    expect(expiryWords('2025-03-04T00:00:00.000Z', now)).toEqual({
      words: 'In 3 days, at 2025-03-04T00:00:00.000Z',
      expired: false,
    });
    expect(expiryWords('2025-02-27T00:00:00.000Z', now)).toEqual({
      words: 'Expired 2 days ago, at 2025-02-27T00:00:00.000Z',
      expired: true,
    });
  });

  it("describes a key's device restriction", () => {
    const id = 'a'.repeat(24);
    expect(keyRestriction({ deviceIds: [id] }).words).toBe(`Only device ${id}`);
    expect(keyRestriction({ deviceTags: [{ key: 'line', value: '3' }, { key: 'bench' }] }).words).toBe(
      'Devices tagged line=3 or bench (any value)',
    );
    expect(keyRestriction({}).kind).toBe('application');
  });
});
