import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { writeFileAtomic } from '../storage/atomic-write';
import { StorageError } from '../storage/atomic-write';

const LabelsFile = z.strictObject({
  version: z.literal(1),
  labels: z.record(z.string().max(200), z.string().max(100)),
});

/**
 * Names a technician gives to the sockets of a bench ("Hub A, port 3"), keyed by lane key, saved
 * in the data directory. Nothing secret in it.
 */
export class LaneLabels {
  readonly file: string;
  #labels = new Map<string, string>();

  private constructor(file: string) {
    this.file = file;
  }

  static async load(file: string): Promise<LaneLabels> {
    const labels = new LaneLabels(file);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return labels;
      throw new StorageError(
        'STORAGE_READ_FAILED',
        `Could not read ${file}: ${(error as NodeJS.ErrnoException).code}`,
        {
          cause: error,
        },
      );
    }
    const parsed = LabelsFile.safeParse(safeJson(text));
    if (!parsed.success) {
      throw new StorageError('STORAGE_CORRUPT', `${file} is not a lane label file; fix or delete it`);
    }
    labels.#labels = new Map(Object.entries(parsed.data.labels));
    return labels;
  }

  get(laneKey: string): string | undefined {
    return this.#labels.get(laneKey);
  }

  all(): Record<string, string> {
    return Object.fromEntries(this.#labels);
  }

  /** Sets (or with an empty label, removes) a label and saves the file atomically. */
  async set(laneKey: string, label: string): Promise<void> {
    const trimmed = label.trim().slice(0, 100);
    if (trimmed) this.#labels.set(laneKey, trimmed);
    else this.#labels.delete(laneKey);
    await writeFileAtomic(this.file, `${JSON.stringify({ version: 1, labels: this.all() }, null, 2)}\n`);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
