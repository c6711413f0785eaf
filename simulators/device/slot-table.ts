import type { SlotSummary, Slots } from '../../common/serial';
import type { SlotTable, StoredSlot } from './flash';

/** A refusal the firmware answers with `ok:false` (docs/serial-protocol.md §6.1). */
export class DeviceFault extends Error {
  readonly code: string;
  readonly field: string | undefined;

  constructor(code: string, message: string, field?: string) {
    super(message);
    this.code = code;
    this.field = field;
  }
}

/**
 * The slot rules of §5.4–§5.8 as pure functions: each returns the next table, or the same table
 * when nothing changes (so the firmware skips the flash write), or throws a DeviceFault.
 */
export function stage(table: SlotTable, slot: StoredSlot): SlotTable {
  return { ...table, staged: slot };
}

export function commit(table: SlotTable): SlotTable {
  if (!table.staged) throw new DeviceFault('NO_STAGED', 'nothing is staged');
  if (table.pending) throw new DeviceFault('COMMIT_PENDING', 'confirm or roll back the last commit first');
  return { ...table, previous: table.active, active: table.staged, staged: null, pending: true };
}

export function confirm(table: SlotTable): SlotTable {
  if (!table.pending) return table;
  return { ...table, previous: null, pending: false };
}

export function rollback(table: SlotTable): SlotTable {
  if (!table.pending) throw new DeviceFault('NO_PREVIOUS', 'no commit to roll back');
  return { ...table, active: table.previous, previous: null, pending: false };
}

export function discard(table: SlotTable): SlotTable {
  if (!table.staged) return table;
  return { ...table, staged: null };
}

export function wipe(table: SlotTable): SlotTable {
  if (!table.active && !table.staged && !table.previous && !table.pending) return table;
  return { ...table, active: null, staged: null, previous: null, pending: false };
}

export function summary(slot: StoredSlot | null): SlotSummary | null {
  return slot ? { deviceId: slot.deviceId, key: slot.key, keyId: slot.keyId, fp: slot.fp.slice(0, 16) } : null;
}

export function slotsOf(table: SlotTable): Slots {
  return {
    active: summary(table.active),
    staged: summary(table.staged),
    previous: summary(table.previous),
    pending: table.pending,
  };
}
