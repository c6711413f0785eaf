import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../../storage/atomic-write';
import { ChainVerifier, type JournalBreak } from './chain-verifier';
import { recordHash } from './canonical-json';
import { readError, readLines } from './journal-files';
import { GENESIS_HASH, JournalRecord } from './record-schema';

/**
 * What opening for append finds at the end of the journal, and how it keeps evidence.
 *
 * The policy (docs/journal.md): the last file is checked record by record. Everything from the
 * first problem to the end of the file (a half-written last line after a crash, or a damaged
 * record and whatever follows it) is copied byte for byte to `<file>.<time>.at-<offset>.damaged`
 * (written atomically and fsynced) BEFORE the file is truncated back to its last good record; the
 * journal then records a `tail-quarantined` entry naming the copy, its size and SHA-256. Nothing
 * is destroyed, and the chain goes on from the last record that verifies. Older files are never
 * touched: a break there stays visible to `verifyJournal`.
 */

export interface ChainPoint {
  hash: string;
  seq: number;
}

export interface LastFileState {
  /** The last record that verifies, or undefined when the file holds none. */
  last?: ChainPoint;
  /** Bytes up to and including the last good record (and its newline, if it has one). */
  goodEnd: number;
  /** The last good record was written without its newline (a write cut just before it). */
  missingNewline: boolean;
  /** The first problem, when the file has a damaged tail. */
  problem?: JournalBreak;
}

/** Checks the last file from `anchor` (null: from whatever its first record says). */
export async function inspectLastFile(file: string, anchor: ChainPoint | null): Promise<LastFileState> {
  const verifier = new ChainVerifier(anchor);
  const state: LastFileState = { goodEnd: 0, missingNewline: false };
  for await (const line of readLines(file)) {
    const checked = verifier.check(path.basename(file), line);
    if (checked.problem) {
      state.problem = checked.problem;
      break;
    }
    if (checked.record) {
      state.last = { hash: checked.record.hash, seq: checked.record.seq };
      state.goodEnd = line.offset + line.bytes.length + (line.terminated ? 1 : 0);
      state.missingNewline = !line.terminated;
    }
  }
  return state;
}

export interface Quarantined {
  file: string;
  damagedFile: string;
  offset: number;
  bytes: number;
  sha256: string;
  reason: string;
}

/** Copies `file` from `offset` to its end into a `.damaged` sibling, durably. Does not truncate. */
export async function copyDamagedTail(
  file: string,
  offset: number,
  problem: JournalBreak,
  now: Date,
): Promise<Quarantined> {
  let bytes: Buffer;
  try {
    const handle = await open(file, 'r');
    try {
      const size = (await handle.stat()).size;
      bytes = Buffer.alloc(size - offset);
      let read = 0;
      while (read < bytes.length) {
        const { bytesRead } = await handle.read(bytes, read, bytes.length - read, offset + read);
        if (bytesRead === 0) break;
        read += bytesRead;
      }
      bytes = bytes.subarray(0, read);
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw readError(file, error);
  }
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const damagedFile = `${path.basename(file)}.${stamp}.at-${offset}.damaged`;
  await writeFileAtomic(path.join(path.dirname(file), damagedFile), bytes);
  return {
    file: path.basename(file),
    damagedFile,
    offset,
    bytes: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    reason: problem.message,
  };
}

/**
 * The last record of an earlier file, read from its end: where a new (or wholly damaged) last
 * file continues the chain. The record must at least agree with its own hash.
 */
export async function tailAnchor(file: string): Promise<ChainPoint | undefined> {
  let text: string;
  try {
    const handle = await open(file, 'r');
    try {
      const size = (await handle.stat()).size;
      const length = Math.min(size, 1024 * 1024);
      const buffer = Buffer.alloc(length);
      await handle.read(buffer, 0, length, size - length);
      text = buffer.toString('utf8');
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw readError(file, error);
  }
  const lines = text.split('\n');
  for (let index = lines.length - 1; index >= 0; index -= 1) {
    const candidate = lines[index];
    if (!candidate) continue;
    try {
      const parsed = JSON.parse(candidate) as Record<string, unknown>;
      const record = JournalRecord.parse(parsed);
      const { hash: _stated, ...withoutHash } = parsed;
      if (recordHash(record.prevHash, withoutHash) === record.hash) return { hash: record.hash, seq: record.seq };
    } catch {
      // not a whole record: look further back
    }
  }
  return undefined;
}

export const GENESIS: ChainPoint = { hash: GENESIS_HASH, seq: 0 };
