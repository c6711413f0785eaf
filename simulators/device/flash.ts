import { randomBytes } from 'node:crypto';
import { open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';

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

export const EMPTY_TABLE: SlotTable = Object.freeze({
  seq: 0,
  active: null,
  staged: null,
  previous: null,
  pending: false,
});

/**
 * The firmware's flash: the slot table and the boot counter, persisted to the state file the way
 * an A/B flash record is written, so that a kill at any moment leaves the old or the new contents
 * (temporary file, fsync, rename, directory fsync). Without a file it lives in memory only.
 * The file holds the device's secrets, as real flash does: mode 0600, in a directory of the
 * tester's choosing.
 */
export class Flash {
  readonly file: string | undefined;
  #contents: FlashContents;

  private constructor(file: string | undefined, contents: FlashContents) {
    this.file = file;
    this.#contents = contents;
  }

  static async load(file: string | undefined): Promise<Flash> {
    if (!file) return new Flash(undefined, { format: 1, boots: 0, table: EMPTY_TABLE });
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return new Flash(file, { format: 1, boots: 0, table: EMPTY_TABLE });
      }
      throw error;
    }
    const contents = JSON.parse(text) as FlashContents;
    if (contents.format !== 1 || typeof contents.boots !== 'number' || typeof contents.table !== 'object') {
      throw new Error(`${file} is not a device state file`);
    }
    return new Flash(file, contents);
  }

  get contents(): FlashContents {
    return this.#contents;
  }

  get table(): SlotTable {
    return this.#contents.table;
  }

  /** Writes new contents; either all of it lands or none. */
  async write(contents: FlashContents): Promise<void> {
    if (this.file) await writeAtomic(this.file, `${JSON.stringify(contents, null, 2)}\n`);
    this.#contents = contents;
  }

  async writeTable(table: SlotTable): Promise<void> {
    await this.write({ ...this.#contents, table: { ...table, seq: this.#contents.table.seq + 1 } });
  }
}

async function writeAtomic(file: string, data: string): Promise<void> {
  const directory = path.dirname(file);
  const temporary = path.join(directory, `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temporary, 'wx', 0o600);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
    const dir = await open(directory, 'r');
    try {
      await dir.sync();
    } catch {
      // Not every filesystem can fsync a directory; the rename is atomic regardless.
    } finally {
      await dir.close();
    }
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
