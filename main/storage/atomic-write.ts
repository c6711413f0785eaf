import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { KeylineError } from '../../common/errors';

export type StorageErrorCode = 'STORAGE_WRITE_FAILED' | 'STORAGE_DISK_FULL' | 'STORAGE_READ_FAILED' | 'STORAGE_CORRUPT';

export class StorageError extends KeylineError<StorageErrorCode> {}

/** Maps a filesystem failure to a typed error a technician can act on. */
export function storageError(action: string, file: string, error: unknown): StorageError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new StorageError('STORAGE_DISK_FULL', `The disk holding ${file} is full; free space and retry (${action})`, {
      cause: error,
    });
  }
  return new StorageError('STORAGE_WRITE_FAILED', `Could not ${action} ${file}: ${code ?? 'unknown error'}`, {
    cause: error,
  });
}

/**
 * Replaces `file` with `data` so that a crash leaves either the old or the new content, never a
 * mix: write a temporary sibling, fsync it, rename over the target, fsync the directory.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array, mode = 0o600): Promise<void> {
  const directory = path.dirname(file);
  const temporary = path.join(directory, `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await mkdir(directory, { recursive: true, mode: 0o700 });
    const handle = await open(temporary, 'wx', mode);
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
      // Some filesystems (and Windows) cannot fsync a directory; the rename is still atomic.
    } finally {
      await dir.close();
    }
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    throw storageError('write', file, error);
  }
}
