/** One credential slot as the firmware keeps it in flash: secret included (this *is* the device). */
export interface StoredSlot {
    deviceId: string;
    key: string;
    keyId: string | null;
    secret: string;
    apiUrl: string;
    mqttUrl: string | null;
    /** SHA-256 of key ":" secret, 64 hex. */
    fp: string;
}
export interface SlotTable {
    seq: number;
    active: StoredSlot | null;
    staged: StoredSlot | null;
    previous: StoredSlot | null;
    pending: boolean;
}
export interface FlashContents {
    format: 1;
    boots: number;
    table: SlotTable;
}
export declare const EMPTY_TABLE: SlotTable;
/**
 * The firmware's flash: the slot table and the boot counter, persisted to the state file the way
 * an A/B flash record is written, so that a kill at any moment leaves the old or the new contents
 * (temporary file, fsync, rename, directory fsync). Without a file it lives in memory only.
 * The file holds the device's secrets, as real flash does: mode 0600, in a directory of the
 * tester's choosing.
 */
export declare class Flash {
    #private;
    readonly file: string | undefined;
    private constructor();
    static load(file: string | undefined): Promise<Flash>;
    get contents(): FlashContents;
    get table(): SlotTable;
    /** Writes new contents; either all of it lands or none. */
    write(contents: FlashContents): Promise<void>;
    writeTable(table: SlotTable): Promise<void>;
}
