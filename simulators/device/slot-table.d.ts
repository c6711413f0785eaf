import type { SlotSummary, Slots } from '../../common/serial';
import type { SlotTable, StoredSlot } from './flash';
/** A refusal the firmware answers with `ok:false` (docs/serial-protocol.md §6.1). */
export declare class DeviceFault extends Error {
    readonly code: string;
    readonly field: string | undefined;
    constructor(code: string, message: string, field?: string);
}
/**
 * The slot rules of §5.4–§5.8 as pure functions: each returns the next table, or the same table
 * when nothing changes (so the firmware skips the flash write), or throws a DeviceFault.
 */
export declare function stage(table: SlotTable, slot: StoredSlot): SlotTable;
export declare function commit(table: SlotTable): SlotTable;
export declare function confirm(table: SlotTable): SlotTable;
export declare function rollback(table: SlotTable): SlotTable;
export declare function discard(table: SlotTable): SlotTable;
export declare function wipe(table: SlotTable): SlotTable;
export declare function summary(slot: StoredSlot | null): SlotSummary | null;
export declare function slotsOf(table: SlotTable): Slots;
