import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { AuthError } from './auth-error';
import { systemClock, type Clock } from './clock';

export interface FileLockOptions {
  clock?: Clock;
  /** How long to wait for another process to let go. */
  timeoutMs?: number;
  /** A lock older than this is taken over even if its holder seems alive (a hung process). */
  staleMs?: number;
  /** How often to look again while waiting. */
  retryMs?: number;
  signal?: AbortSignal;
  /** Whether a process id is alive on this host; injected in tests. */
  isAlive?: (pid: number) => boolean;
}

interface LockRecord {
  pid: number;
  host: string;
  since: number;
  nonce: string;
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive but someone else's.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function parseRecord(text: string): LockRecord | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockRecord>;
    if (typeof value.pid === 'number' && typeof value.since === 'number' && typeof value.host === 'string') {
      return { pid: value.pid, host: value.host, since: value.since, nonce: String(value.nonce ?? '') };
    }
  } catch {
    // An empty or torn lock file: its writer died between create and write.
  }
  return undefined;
}

/**
 * Runs `task` while holding an exclusive lock file, so that two Keyline processes (the app and the
 * CLI) sharing a data directory never spend the same rotating refresh token. The lock is a file
 * created with O_EXCL holding the owner's pid; a lock whose owner is gone, or that is older than
 * `staleMs`, is taken over by renaming it aside first, so two waiters cannot both take it over.
 */
export async function withFileLock<T>(file: string, task: () => Promise<T>, options: FileLockOptions = {}): Promise<T> {
  const release = await acquireFileLock(file, options);
  try {
    return await task();
  } finally {
    await release();
  }
}

export async function acquireFileLock(file: string, options: FileLockOptions = {}): Promise<() => Promise<void>> {
  const clock = options.clock ?? systemClock;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const staleMs = options.staleMs ?? 60_000;
  const retryMs = options.retryMs ?? 50;
  const isAlive = options.isAlive ?? processIsAlive;
  const deadline = clock.now() + timeoutMs;
  const record: LockRecord = {
    pid: process.pid,
    host: os.hostname(),
    since: clock.now(),
    nonce: randomBytes(8).toString('hex'),
  };
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });

  for (;;) {
    options.signal?.throwIfAborted();
    try {
      const handle = await open(file, 'wx', 0o600);
      try {
        record.since = clock.now();
        await handle.writeFile(JSON.stringify(record));
      } finally {
        await handle.close();
      }
      return () => releaseFileLock(file, record.nonce);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new AuthError('AUTH_LOCK_TIMEOUT', `Could not create the sign-in lock ${file}`, { cause: error });
      }
    }
    const holder = await readFile(file, 'utf8').then(parseRecord, () => undefined);
    const stale =
      holder === undefined
        ? await isTornLock(file)
        : (holder.host === record.host && !isAlive(holder.pid)) || clock.now() - holder.since > staleMs;
    if (stale && (await takeOver(file, holder))) continue;
    if (clock.now() >= deadline) {
      throw new AuthError(
        'AUTH_LOCK_TIMEOUT',
        `Another Keyline process (pid ${holder?.pid ?? 'unknown'}) is renewing the sign-in; try again in a moment`,
      );
    }
    await clock.sleep(retryMs, options.signal);
  }
}

/** A lock file with no readable record is stale once it is old enough for its writer to have finished. */
async function isTornLock(file: string): Promise<boolean> {
  try {
    return Date.now() - (await stat(file)).mtimeMs > 2_000;
  } catch {
    return false; // Gone already: the next create attempt decides.
  }
}

/** Moves a stale lock aside; only the process whose rename saw the stale record deletes it. */
async function takeOver(file: string, seen: LockRecord | undefined): Promise<boolean> {
  const aside = `${file}.${randomBytes(6).toString('hex')}.stale`;
  try {
    await rename(file, aside);
  } catch {
    return true; // Someone else moved it first: try to create again.
  }
  const moved = await readFile(aside, 'utf8').then(parseRecord, () => undefined);
  if (seen !== undefined && moved?.nonce !== seen.nonce) {
    // We moved a fresh lock another process had just taken: put it back if the place is still free
    // (link, unlike rename, never replaces an existing file).
    try {
      await link(aside, file);
      await rm(aside, { force: true });
      return false;
    } catch {
      // Fall through: remove it; its owner's release will find its lock gone and do nothing.
    }
  }
  await rm(aside, { force: true });
  return true;
}

async function releaseFileLock(file: string, nonce: string): Promise<void> {
  const current = await readFile(file, 'utf8').then(parseRecord, () => undefined);
  // Only remove our own lock: if it was taken over as stale, it is someone else's now.
  if (current?.nonce === nonce) await rm(file, { force: true });
}
