import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import { StorageError, writeFileAtomic } from './atomic-write';

export interface JsonSettingsFileOptions<S extends z.ZodType<object>> {
  /** The file's name in the data directory. */
  fileName: string;
  schema: S;
  defaults: z.output<S>;
  /** What the file holds, for messages ("settings", "preferences"). */
  noun: string;
}

/**
 * A small settings file in the data directory: JSON checked by its schema over the defaults (a
 * field added in a later version gets its default), written atomically. A missing file means the
 * defaults; a damaged one is reported, never silently replaced by defaults that could, say,
 * switch verification from device to station.
 */
export class JsonSettingsFile<S extends z.ZodType<object>> {
  readonly file: string;
  readonly #options: JsonSettingsFileOptions<S>;
  #cached: z.output<S> | undefined;

  constructor(dataDir: string, options: JsonSettingsFileOptions<S>) {
    this.file = path.join(dataDir, options.fileName);
    this.#options = options;
  }

  async get(): Promise<z.output<S>> {
    if (this.#cached) return this.#cached;
    const { schema, defaults, noun } = this.#options;
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return (this.#cached = { ...defaults });
      throw new StorageError('STORAGE_READ_FAILED', `Could not read ${this.file}: check its permissions`, {
        cause: error,
      });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new StorageError(
        'STORAGE_CORRUPT',
        `${this.file} is not valid JSON: fix it or delete it to use the defaults`,
        { cause: error },
      );
    }
    const checked = schema.safeParse({ ...defaults, ...(parsed as object) });
    if (!checked.success) {
      throw new StorageError(
        'STORAGE_CORRUPT',
        `${this.file} holds ${noun} Keyline does not understand: fix it or delete it to use the defaults`,
      );
    }
    return (this.#cached = checked.data);
  }

  /** What is in force now (the defaults until the first get). */
  current(): z.output<S> {
    return this.#cached ?? { ...this.#options.defaults };
  }

  async update(patch: Partial<z.output<S>>): Promise<z.output<S>> {
    const next = this.#options.schema.parse({ ...(await this.get()), ...patch });
    await writeFileAtomic(this.file, `${JSON.stringify(next, null, 2)}\n`);
    this.#cached = next;
    return next;
  }
}
