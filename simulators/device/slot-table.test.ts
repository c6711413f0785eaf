import { describe, expect, it } from 'vitest';
import { EMPTY_TABLE, type StoredSlot } from './flash';
import * as slots from './slot-table';

const slot = (name: string): StoredSlot => ({
  deviceId: 'a'.repeat(24),
  key: `key-${name}`,
  keyId: null,
  secret: `secret-${name}`,
  apiUrl: 'https://api.example',
  mqttUrl: null,
  fp: name.padEnd(64, '0'),
});

describe('slot rules (docs/serial-protocol.md §5.4-§5.8)', () => {
  it('commit keeps the former active as previous until confirm', () => {
    const withActive = slots.confirm(slots.commit(slots.stage(EMPTY_TABLE, slot('a'))));
    const committed = slots.commit(slots.stage(withActive, slot('b')));
    expect(committed).toMatchObject({
      active: { key: 'key-b' },
      previous: { key: 'key-a' },
      staged: null,
      pending: true,
    });
    expect(slots.confirm(committed)).toMatchObject({ active: { key: 'key-b' }, previous: null, pending: false });
    expect(slots.rollback(committed)).toMatchObject({ active: { key: 'key-a' }, previous: null, pending: false });
  });

  it('rolls a first provisioning back to no credentials at all', () => {
    const committed = slots.commit(slots.stage(EMPTY_TABLE, slot('a')));
    expect(slots.rollback(committed)).toMatchObject({ active: null, pending: false });
  });

  it('refuses what the protocol refuses, and returns the same table when nothing changes', () => {
    expect(() => slots.commit(EMPTY_TABLE)).toThrow(expect.objectContaining({ code: 'NO_STAGED' }));
    expect(() => slots.rollback(EMPTY_TABLE)).toThrow(expect.objectContaining({ code: 'NO_PREVIOUS' }));
    const pending = slots.stage(slots.commit(slots.stage(EMPTY_TABLE, slot('a'))), slot('b'));
    expect(() => slots.commit(pending)).toThrow(expect.objectContaining({ code: 'COMMIT_PENDING' }));
    expect(slots.confirm(EMPTY_TABLE)).toBe(EMPTY_TABLE);
    expect(slots.discard(EMPTY_TABLE)).toBe(EMPTY_TABLE);
    expect(slots.wipe(EMPTY_TABLE)).toBe(EMPTY_TABLE);
  });

  it('summarises slots without the secret', () => {
    const summary = slots.slotsOf(slots.stage(EMPTY_TABLE, slot('a')));
    expect(summary.staged).toEqual({ deviceId: 'a'.repeat(24), key: 'key-a', keyId: null, fp: 'a000000000000000' });
    expect(JSON.stringify(summary)).not.toContain('secret-a');
  });
});
