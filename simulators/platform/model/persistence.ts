import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { generateServerKeys, isServerKeys, type ServerKeys } from '../security/server-keys';
import { writeFileAtomic } from './atomic-write';
import type { PlatformState } from './types';

const STATE_FILE = 'platform-state.json';
const KEYS_FILE = 'platform-keys.json';
const SAVE_DELAY_MS = 50;

async function readJsonFile(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as unknown;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`cannot read ${file}: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * `--data DIR`: the state in one JSON file, rewritten atomically a moment after each change
 * (changes in between are coalesced), and the server keys in a file of their own (mode 0600).
 */
export class Persistence {
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private failure: Error | undefined;

  constructor(
    readonly directory: string,
    private readonly snapshot: () => PlatformState,
  ) {}

  async loadKeys(): Promise<ServerKeys> {
    const file = path.join(this.directory, KEYS_FILE);
    const stored = await readJsonFile(file);
    if (stored !== undefined) {
      if (!isServerKeys(stored)) throw new Error(`${file} is not a platform simulator key file`);
      return stored;
    }
    const keys = generateServerKeys();
    await writeFileAtomic(file, JSON.stringify(keys));
    return keys;
  }

  async loadState(): Promise<PlatformState | undefined> {
    const file = path.join(this.directory, STATE_FILE);
    const stored = (await readJsonFile(file)) as PlatformState | undefined;
    if (stored !== undefined && stored.version !== 1) throw new Error(`${file} has unknown version ${stored.version}`);
    return stored;
  }

  scheduleSave(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.save();
    }, SAVE_DELAY_MS);
  }

  private save(): Promise<void> {
    const text = JSON.stringify(this.snapshot());
    this.writing = this.writing
      .then(() => writeFileAtomic(path.join(this.directory, STATE_FILE), text))
      .catch((error: Error) => {
        this.failure = error;
      });
    return this.writing;
  }

  /** Writes any pending change now; rejects if a write failed since the last flush. */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
      await this.save();
    }
    await this.writing;
    if (this.failure) {
      const failure = this.failure;
      this.failure = undefined;
      throw failure;
    }
  }
}
