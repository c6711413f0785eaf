import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { StorageError, storageError } from '../../storage/atomic-write';
import type { DataDirLock } from '../../storage/data-dir-lock';
import { recordHash } from './canonical-json';
import { JournalError } from './errors';
import { journalDir, journalFileName, listJournalFiles } from './journal-files';
import { nodeJournalFs, type JournalFileHandle, type JournalFs } from './journal-fs';
import {
  copyDamagedTail,
  GENESIS,
  inspectLastFile,
  tailAnchor,
  type ChainPoint,
  type Quarantined,
} from './journal-repair';
import { JournalEntry, type JournalEntryInput, type JournalRecord } from './record-schema';
import { assertNoSecret, type IsSecret } from './secret-guard';

export const JOURNAL_FORMAT = 1;
/** Small enough that opening (which checks the whole last file) stays well under a second. */
const DEFAULT_MAX_FILE_BYTES = 4 * 1024 * 1024;
const MAX_BATCH_RECORDS = 512;
/** Data dirs with an open writer in this process: one chain, one writer. */
const openWriters = new Set<string>();

export interface OpenJournalOptions {
  /** Proof that this process owns the data directory: appending needs it (reading does not). */
  lock: DataDirLock;
  clock?: () => Date;
  /** True for text that is (or encodes) a secret the station holds: such a record is refused. */
  isSecret?: IsSecret;
  /** A file over this size is closed and the chain continues in the next one. */
  maxFileBytes?: number;
  fs?: JournalFs;
}

/** What opening found and did, for the station to log or show. */
export interface JournalOpenReport {
  file: string;
  /** The damaged tail set aside, when there was one. */
  quarantined?: Quarantined;
}

export interface Journal {
  readonly dataDir: string;
  readonly opened: JournalOpenReport;
  /**
   * Validates the entry, refuses secrets, and resolves once the record is on disk (written in
   * one write, durable by O_DSYNC where the system has it, else followed by fdatasync). Concurrent
   * appends share one write and one sync (group commit),
   * in call order; each still resolves only when durable.
   */
  append(entry: JournalEntryInput): Promise<JournalRecord>;
  /** Seq and hash of the last durable record. */
  head(): ChainPoint;
  /** Waits for queued appends, then closes the file. Further appends fail with JOURNAL_CLOSED. */
  close(): Promise<void>;
}

interface Pending {
  entry: JournalEntry;
  time: string;
  resolve: (record: JournalRecord) => void;
  reject: (error: unknown) => void;
}

/**
 * Opens the journal of the lock's data directory for appending: checks the last file, sets any
 * damaged tail aside (see journal-repair.ts), and records that this process opened it.
 */
export async function openJournal(options: OpenJournalOptions): Promise<Journal> {
  const { lock } = options;
  if (!lock.isHeld()) {
    throw new JournalError('JOURNAL_LOCK_REQUIRED', `Appending to the journal needs the lock of ${lock.dataDir}.`);
  }
  if (openWriters.has(lock.dataDir)) {
    throw new JournalError(
      'JOURNAL_ALREADY_OPEN',
      `The journal of ${lock.dataDir} is already open in this process; share that one instead of opening another.`,
    );
  }
  const fs = options.fs ?? nodeJournalFs;
  const clock = options.clock ?? (() => new Date());
  const dir = journalDir(lock.dataDir);
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw storageError('create the journal folder', dir, error);
  }
  const listing = (await listJournalFiles(dir)) ?? { files: [], damaged: [] };
  const lastEntry = listing.files.at(-1);
  const number = lastEntry?.number ?? 1;
  const file = path.join(dir, journalFileName(number));
  const previous = listing.files.at(-2);
  // The first file starts at the genesis; a later one takes its first record's link as given
  // (the link across files is verifyJournal's to check).
  const anchor = number === 1 ? GENESIS : null;

  let head: ChainPoint | undefined;
  let quarantined: Quarantined | undefined;
  let handle: JournalFileHandle;
  try {
    handle = await fs.open(file, 'a', 0o600);
  } catch (error) {
    throw storageError('open', file, error);
  }
  try {
    if (!lastEntry) await fs.syncDirectory(dir);
    const state = await inspectLastFile(file, anchor);
    head = state.last;
    let size = (await handle.stat()).size;
    if (state.problem) {
      quarantined = await copyDamagedTail(file, state.goodEnd, state.problem, clock());
      await fs.syncDirectory(dir);
      await handle.truncate(state.goodEnd);
      await handle.datasync();
      size = state.goodEnd;
    }
    if (state.missingNewline) {
      await writeAll(handle, Buffer.from('\n'));
      await handle.datasync();
      size += 1;
    }
    if (!head) {
      if (number === 1) head = GENESIS;
      else {
        head = previous ? await tailAnchor(path.join(dir, previous.name)) : undefined;
        if (!head) {
          throw new JournalError(
            'JOURNAL_DAMAGED',
            `The journal in ${dir} has no intact record to continue from; run "keyline journal verify" and keep the folder for support.`,
          );
        }
      }
    }
    const journal = new JournalWriter(lock, fs, clock, options, dir, number, handle, size, head, {
      file: path.basename(file),
      ...(quarantined ? { quarantined } : {}),
    });
    const housekeeping: Array<Promise<JournalRecord>> = [];
    if (quarantined) housekeeping.push(journal.append({ kind: 'journal', event: 'tail-quarantined', ...quarantined }));
    housekeeping.push(
      journal.append({
        kind: 'journal',
        event: 'opened',
        command: lock.owner.command,
        pid: lock.owner.pid,
        hostname: lock.owner.hostname,
        format: JOURNAL_FORMAT,
      }),
    );
    openWriters.add(lock.dataDir);
    await Promise.all(housekeeping);
    return journal;
  } catch (error) {
    openWriters.delete(lock.dataDir);
    await handle.close().catch(() => undefined);
    if (error instanceof JournalError || error instanceof StorageError) throw error;
    throw storageError('open', file, error);
  }
}

async function writeAll(handle: JournalFileHandle, buffer: Buffer): Promise<void> {
  let offset = 0;
  while (offset < buffer.length) {
    const { bytesWritten } = await handle.write(buffer, offset, buffer.length - offset);
    if (bytesWritten <= 0) throw Object.assign(new Error('write made no progress'), { code: 'EIO' });
    offset += bytesWritten;
  }
}

class JournalWriter implements Journal {
  readonly #queue: Pending[] = [];
  #pumping: Promise<void> | undefined;
  #closed = false;
  /** Set when a failed write could not be undone: appending would build on an unknown tail. */
  #broken: unknown;

  constructor(
    readonly lock: DataDirLock,
    readonly fs: JournalFs,
    readonly clock: () => Date,
    readonly options: OpenJournalOptions,
    readonly dir: string,
    private number: number,
    private handle: JournalFileHandle,
    private size: number,
    private last: ChainPoint,
    readonly opened: JournalOpenReport,
  ) {}

  get dataDir(): string {
    return this.lock.dataDir;
  }

  head(): ChainPoint {
    return { ...this.last };
  }

  append(input: JournalEntryInput): Promise<JournalRecord> {
    try {
      if (this.#closed) throw new JournalError('JOURNAL_CLOSED', 'The journal is closed; nothing was written.');
      if (!this.lock.isHeld()) {
        throw new JournalError(
          'JOURNAL_LOCK_REQUIRED',
          `The lock of ${this.lock.dataDir} was released; nothing was written.`,
        );
      }
      if (this.#broken !== undefined) {
        throw new JournalError(
          'JOURNAL_DAMAGED',
          'An earlier journal write failed and could not be undone; restart the station (the damaged tail will be set aside and recorded).',
          { cause: this.#broken },
        );
      }
      // The guard runs on the raw input first, so a secret in a field the schema does not
      // know is reported as a secret, not as a schema error.
      assertNoSecret(input, this.options.isSecret);
      const parsed = JournalEntry.safeParse(input);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const where = issue?.path.length ? issue.path.join('.') : 'record';
        // zod's own message may quote the value; name the field and the rule only.
        throw new JournalError(
          'JOURNAL_INVALID_RECORD',
          `Refused a journal record: ${where} is invalid (${issue?.code ?? 'invalid'}); nothing was written.`,
        );
      }
      const time = this.clock().toISOString();
      return new Promise<JournalRecord>((resolve, reject) => {
        this.#queue.push({ entry: parsed.data, time, resolve, reject });
        this.#pumping ??= this.#pump();
      });
    } catch (error) {
      return Promise.reject(error);
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    while (this.#pumping) await this.#pumping;
    openWriters.delete(this.lock.dataDir);
    await this.handle.close();
  }

  /**
   * Writes queued records until none is left. Records queued while a batch is being written and
   * synced go out together in the next batch: that is the group commit.
   */
  async #pump(): Promise<void> {
    try {
      while (this.#queue.length > 0) {
        const batch = this.#queue.splice(0, MAX_BATCH_RECORDS);
        try {
          const records = await this.#writeBatch(batch.map(({ entry, time }) => ({ entry, time })));
          batch.forEach((pending, index) => pending.resolve(records[index] as JournalRecord));
        } catch (error) {
          for (const pending of batch) pending.reject(error);
        }
      }
    } finally {
      // Runs in the same turn as the last empty-queue check, so no append can slip in between.
      this.#pumping = undefined;
    }
  }

  #seal(entry: JournalEntry, time: string, prev: ChainPoint): JournalRecord {
    const { kind, ...fields } = entry;
    const unsealed = { seq: prev.seq + 1, time, kind, ...fields, prevHash: prev.hash };
    return { ...unsealed, hash: recordHash(prev.hash, unsealed) } as JournalRecord;
  }

  async #writeBatch(batch: Array<{ entry: JournalEntry; time: string }>): Promise<JournalRecord[]> {
    if (this.#broken !== undefined) {
      throw new JournalError('JOURNAL_DAMAGED', 'An earlier journal write failed and could not be undone.', {
        cause: this.#broken,
      });
    }
    const maxFileBytes = this.options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    let startsFile: string | undefined;
    if (this.size >= maxFileBytes) startsFile = await this.#rotate();
    let point = this.last;
    const records: JournalRecord[] = [];
    const lines: string[] = [];
    const entries = startsFile
      ? [
          {
            entry: { kind: 'journal', event: 'file-started', previousFile: startsFile } as JournalEntry,
            time: batch[0]?.time ?? this.clock().toISOString(),
          },
          ...batch,
        ]
      : batch;
    for (const { entry, time } of entries) {
      const record = this.#seal(entry, time, point);
      point = { hash: record.hash, seq: record.seq };
      records.push(record);
      lines.push(`${JSON.stringify(record)}\n`);
    }
    const buffer = Buffer.from(lines.join(''), 'utf8');
    const file = path.join(this.dir, journalFileName(this.number));
    try {
      await writeAll(this.handle, buffer);
    } catch (error) {
      await this.#undo(error);
      // A durable write flushes inside write(): its I/O error is a failed sync (below).
      if (this.handle.durableWrites && (error as { code?: unknown }).code === 'EIO') this.#broken = error;
      throw storageError('append to the journal', file, error);
    }
    try {
      if (!this.handle.durableWrites) await this.handle.datasync();
    } catch (error) {
      // After a failed fsync the kernel may have dropped the dirty pages while reporting later
      // syncs as fine: do not build on this tail. Undo what we can and stop.
      await this.#undo(error);
      this.#broken = error;
      throw storageError('sync the journal', file, error);
    }
    this.size += buffer.length;
    this.last = point;
    return startsFile ? records.slice(1) : records;
  }

  /** Cuts a partly written batch off again, so the file ends with the last durable record. */
  async #undo(error: unknown): Promise<void> {
    try {
      await this.handle.truncate(this.size);
      await this.handle.datasync();
    } catch {
      this.#broken = error;
    }
  }

  /** Closes the full file and continues the chain in the next one. Returns the closed name. */
  async #rotate(): Promise<string> {
    const closed = journalFileName(this.number);
    const next = path.join(this.dir, journalFileName(this.number + 1));
    let handle: JournalFileHandle;
    try {
      handle = await this.fs.open(next, 'ax', 0o600);
      await this.fs.syncDirectory(this.dir);
    } catch (error) {
      throw storageError('start a new journal file', next, error);
    }
    await this.handle.close().catch(() => undefined);
    this.handle = handle;
    this.number += 1;
    this.size = 0;
    return closed;
  }
}
