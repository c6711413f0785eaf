import { open } from 'node:fs/promises';

/**
 * The few file operations the journal writer uses, passed in so a unit test can make a write
 * fail the way a full disk does (ENOSPC, short writes) without a real full disk.
 */
export interface JournalFileHandle {
  write(buffer: Uint8Array, offset: number, length: number): Promise<{ bytesWritten: number }>;
  /** fdatasync: the data (and the size) reach the disk before this resolves. */
  datasync(): Promise<void>;
  truncate(length: number): Promise<void>;
  stat(): Promise<{ size: number }>;
  close(): Promise<void>;
}

export interface JournalFs {
  open(file: string, flags: 'a' | 'ax', mode: number): Promise<JournalFileHandle>;
  /** Makes a new directory entry durable; a no-op where directories cannot be synced. */
  syncDirectory(dir: string): Promise<void>;
}

export const nodeJournalFs: JournalFs = {
  async open(file, flags, mode) {
    const handle = await open(file, flags, mode);
    return {
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
