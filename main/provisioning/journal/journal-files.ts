import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { StorageError } from '../../storage/atomic-write';

/** The journal lives in `<dataDir>/journal/` as numbered JSON Lines files, oldest first. */
export const JOURNAL_DIR_NAME = 'journal';
const FILE_PATTERN = /^journal-(\d{6,})\.jsonl$/;
const DAMAGED_PATTERN = /^journal-\d{6,}\.jsonl\..+\.damaged$/;

export function journalDir(dataDir: string): string {
  return path.join(dataDir, JOURNAL_DIR_NAME);
}

export function journalFileName(number: number): string {
  return `journal-${String(number).padStart(6, '0')}.jsonl`;
}

export interface JournalFiles {
  /** Journal files in chain order, with their numbers. */
  files: Array<{ name: string; number: number }>;
  /** Tails set aside by an earlier open (kept as evidence, see docs/journal.md). */
  damaged: string[];
}

/** Lists the journal's files; `undefined` when the directory does not exist. */
export async function listJournalFiles(dir: string): Promise<JournalFiles | undefined> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw readError(dir, error);
  }
  const files = names
    .map((name) => ({ name, match: FILE_PATTERN.exec(name) }))
    .filter((entry): entry is { name: string; match: RegExpExecArray } => entry.match !== null)
    .map(({ name, match }) => ({ name, number: Number(match[1]) }))
    .sort((a, b) => a.number - b.number);
  const damaged = names.filter((name) => DAMAGED_PATTERN.test(name)).sort();
  return { files, damaged };
}

export interface JournalLine {
  /** The line's bytes without the newline. */
  bytes: Buffer;
  /** 1-based line number in its file. */
  line: number;
  /** Byte offset of the line's first byte. */
  offset: number;
  /** False for a last line with no newline: a write that did not finish (or a cut file). */
  terminated: boolean;
}

/**
 * Streams the lines of a file with their byte offsets, in constant memory whatever the file size
 * (a line is held whole; records are small). A last line without "\n" comes out unterminated.
 */
export async function* readLines(file: string, options: { start?: number } = {}): AsyncGenerator<JournalLine> {
  const stream = createReadStream(file, { start: options.start ?? 0, highWaterMark: 256 * 1024 });
  let pending: Buffer[] = [];
  let pendingLength = 0;
  let offset = options.start ?? 0;
  let line = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let from = 0;
      for (let at = chunk.indexOf(0x0a); at !== -1; at = chunk.indexOf(0x0a, from)) {
        const piece = chunk.subarray(from, at);
        const bytes = pendingLength === 0 ? Buffer.from(piece) : Buffer.concat([...pending, piece]);
        pending = [];
        pendingLength = 0;
        line += 1;
        yield { bytes, line, offset, terminated: true };
        offset += bytes.length + 1;
        from = at + 1;
      }
      if (from < chunk.length) {
        pending.push(Buffer.from(chunk.subarray(from)));
        pendingLength += chunk.length - from;
      }
    }
  } catch (error) {
    throw readError(file, error);
  }
  if (pendingLength > 0) {
    line += 1;
    yield { bytes: Buffer.concat(pending), line, offset, terminated: false };
  }
}

export function readError(file: string, error: unknown): StorageError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? 'unknown error';
  return new StorageError('STORAGE_READ_FAILED', `Could not read ${file}: ${code}`, { cause: error });
}
