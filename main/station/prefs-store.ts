import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_STATION_PREFS, StationPrefs } from '../../common/contract/station';
import { StorageError, writeFileAtomic } from '../storage/atomic-write';

export const PREFS_FILE = 'station-prefs.json';

/**
 * The station's own preferences (sandbox or platform, sounds, scanner prefix, USB ids) in the data
 * directory, written atomically. Missing means the defaults (a new install runs the sandbox); a
 * damaged file is reported, never silently replaced.
 */
export class PrefsStore {
  readonly file: string;
  #cached: StationPrefs | undefined;

  constructor(dataDir: string) {
    this.file = path.join(dataDir, PREFS_FILE);
  }

  async get(): Promise<StationPrefs> {
    if (this.#cached) return this.#cached;
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return (this.#cached = { ...DEFAULT_STATION_PREFS });
      throw new StorageError('STORAGE_READ_FAILED', `Could not read ${this.file}: check its permissions`, {
        cause: error,
      });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new StorageError('STORAGE_CORRUPT', `${this.file} is not valid JSON: fix it or delete it`, {
        cause: error,
      });
    }
    const checked = StationPrefs.safeParse({ ...DEFAULT_STATION_PREFS, ...(parsed as object) });
    if (!checked.success) {
      throw new StorageError(
        'STORAGE_CORRUPT',
        `${this.file} holds preferences Keyline does not understand: fix it or delete it`,
      );
    }
    return (this.#cached = checked.data);
  }

  /** The preferences now in force (defaults until the first get). */
  current(): StationPrefs {
    return this.#cached ?? { ...DEFAULT_STATION_PREFS };
  }

  async update(patch: Partial<StationPrefs>): Promise<StationPrefs> {
    const next = StationPrefs.parse({ ...(await this.get()), ...patch });
    await writeFileAtomic(this.file, `${JSON.stringify(next, null, 2)}\n`);
    this.#cached = next;
    return next;
  }
}
