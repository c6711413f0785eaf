import { constants } from 'node:fs';
import { open } from 'node:fs/promises';

/**
 * The few file operations the journal writer uses, passed in so a unit test can make a write
 * fail the way a full disk does (ENOSPC, short writes) without a real full disk.
 */
export interface JournalFileHandle {
  write(buffer: Uint8Array, offset: number, length: number): Promise<{ bytesWritten: number }>;
  /** fdatasync: the data (and the size) reach the disk before this resolves. */
  datasync(): Promise<void>;
  /**
   * True when every write already reaches the disk before it resolves (the file is open with
   * O_DSYNC), so an append needs no separate `datasync`: one trip through the thread pool and the
   * event loop instead of two, which at 32 lanes is a third of each append's wait (docs/benchmarks.md).
   */
  readonly durableWrites?: boolean;
  truncate(length: number): Promise<void>;
  stat(): Promise<{ size: number }>;
  close(): Promise<void>;
}

export interface JournalFs {
  open(file: string, flags: 'a' | 'ax', mode: number): Promise<JournalFileHandle>;
  /** Makes a new directory entry durable; a no-op where directories cannot be synced. */
  syncDirectory(dir: string): Promise<void>;
}

/**
 * `a`/`ax` as open(2) flags, plus O_DSYNC where the system has it (Linux, macOS; not Windows): a
 * write then returns once its data and the file size are on disk, as write + fdatasync would.
 */
function openFlags(flags: 'a' | 'ax'): { flags: number | 'a' | 'ax'; durable: boolean } {
  const { O_WRONLY, O_APPEND, O_CREAT, O_EXCL, O_DSYNC } = constants;
  if (typeof O_DSYNC !== 'number' || O_DSYNC === 0) return { flags, durable: false };
  return { flags: O_WRONLY | O_APPEND | O_CREAT | (flags === 'ax' ? O_EXCL : 0) | O_DSYNC, durable: true };
}

export const nodeJournalFs: JournalFs = {
  async open(file, flags, mode) {
    const how = openFlags(flags);
    const handle = await open(file, how.flags, mode);
    return {
      durableWrites: how.durable,
      write: async (buffer, offset, length) => ({
        bytesWritten: (await handle.write(buffer, offset, length)).bytesWritten,
      }),
      datasync: () => handle.datasync(),
      truncate: (length) => handle.truncate(length),
      stat: async () => ({ size: (await handle.stat()).size }),
      close: () => handle.close(),
    };
  },
  async syncDirectory(dir) {
    let handle;
    try {
      handle = await open(dir, 'r');
      await handle.sync();
    } catch {
      // Windows and some filesystems cannot fsync a directory; the entry is still written.
    } finally {
      await handle?.close();
    }
  },
};
