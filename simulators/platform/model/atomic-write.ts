import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';

/**
 * Replaces `file` so that a crash leaves the old or the new content, never a mix: write a temporary
 * sibling, fsync it, rename it over the target, fsync the directory. (The station has its own copy
 * in main/storage; simulators never import main/.)
 */
export async function writeFileAtomic(file: string, data: string, mode = 0o600): Promise<void> {
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
      // Some filesystems cannot fsync a directory; the rename is still atomic.
    } finally {
      await dir.close();
    }
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    throw error;
  }
}
