import { randomBytes } from 'node:crypto';
import { readFileSync, unlinkSync } from 'node:fs';
import { link, mkdir, open, readdir, readFile, unlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { KeylineError } from '../../common/errors';
import { storageError } from './atomic-write';

/**
 * One process owns a data directory at a time (DESIGN.md §2): the journal is a single hash chain,
 * so two writers would fork it. The owner holds `<dataDir>/keyline.lock`, a small JSON file saying
 * who it is. Nothing in it is secret.
 *
 * Why not flock(2)? Node has no portable advisory lock without a native module, and a lock file
 * also tells the second process *who* holds the directory, which is what a technician needs.
 *
 * Creating: the owner record is written to a private temporary and hard-linked to the lock name.
 * `link` fails when the name exists and publishes a complete file in one step, so a reader never
 * sees a half-written lock (an exclusive create followed by a write would leave an empty lock
 * behind if the process died in between).
 *
 * Stale locks: when the holder's pid is dead on this host (or the machine rebooted since), the
 * lock may be broken. Two starters may both judge the same lock stale; removing it by name would
 * let the slower one delete the lock the faster one has just created. So a lock *instance* (its
 * random nonce) may be removed only by whoever exclusively creates `keyline.lock.break-<nonce>`,
 * and only after re-reading, under that marker, that the lock still is that instance. A marker
 * left by a breaker that died is itself broken the same way (it holds an owner record too).
 */
export const LOCK_FILE_NAME = 'keyline.lock';

export interface DataDirLockOwner {
  pid: number;
  hostname: string;
  /** ISO time the lock was taken. */
  startedAt: string;
  /** What holds it, for the message a second process shows ("keyline provision"). */
  command: string;
  /** Distinguishes this lock instance from any earlier one with the same pid. */
  nonce: string;
  /** Linux boot id: a lock from an earlier boot is stale even if its pid is alive again. */
  bootId?: string;
}

export type DataDirLockErrorCode = 'DATA_DIR_LOCKED' | 'DATA_DIR_LOCK_FAILED';

export class DataDirLockError extends KeylineError<DataDirLockErrorCode> {
  /** Who holds the directory, when known (DATA_DIR_LOCKED). */
  readonly holder: DataDirLockOwner | undefined;

  constructor(
    code: DataDirLockErrorCode,
    message: string,
    options: { cause?: unknown; holder?: DataDirLockOwner } = {},
  ) {
    super(code, message, options);
    this.name = 'DataDirLockError';
    this.holder = options.holder;
  }
}

export interface DataDirLock {
  readonly dataDir: string;
  readonly file: string;
  readonly owner: DataDirLockOwner;
  /** False once released (or if the lock file was taken from us). */
  isHeld(): boolean;
  /** Removes the lock file if it is still ours. Safe to call twice. */
  release(): Promise<void>;
}

/** What the lock consults about the world; tests replace single parts. */
export interface LockEnvironment {
  pid: number;
  hostname: string;
  bootId: string | undefined;
  now: () => Date;
  /** True when `pid` runs on this host (EPERM counts as alive: it exists, we may not signal it). */
  isProcessAlive: (pid: number) => boolean;
}

export function defaultLockEnvironment(): LockEnvironment {
  return {
    pid: process.pid,
    hostname: os.hostname(),
    bootId: readBootId(),
    now: () => new Date(),
    isProcessAlive,
  };
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readBootId(): string | undefined {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Why a holder no longer owns the lock, or undefined when it may still be running. */
function staleReason(owner: DataDirLockOwner, env: LockEnvironment): string | undefined {
  // On another host we cannot see the process: never break it, say who to ask instead.
  if (owner.hostname !== env.hostname) return undefined;
  if (owner.bootId && env.bootId && owner.bootId !== env.bootId) return 'the machine restarted since';
  if (!env.isProcessAlive(owner.pid)) return `process ${owner.pid} is no longer running`;
  return undefined;
}

function parseOwner(text: string): DataDirLockOwner | undefined {
  try {
    const value = JSON.parse(text) as Partial<DataDirLockOwner>;
    if (
      typeof value.pid === 'number' &&
      typeof value.hostname === 'string' &&
      typeof value.startedAt === 'string' &&
      typeof value.command === 'string' &&
      typeof value.nonce === 'string' &&
      /^[0-9a-f]{8,64}$/.test(value.nonce)
    ) {
      return value as DataDirLockOwner;
    }
  } catch {
    // fall through: not an owner record
  }
  return undefined;
}

type ReadOwner = { state: 'missing' } | { state: 'owner'; owner: DataDirLockOwner } | { state: 'unreadable' };

async function readOwnerFile(file: string): Promise<ReadOwner> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'missing' };
    throw new DataDirLockError('DATA_DIR_LOCK_FAILED', `Could not read the lock ${file}: ${errnoOf(error)}`, {
      cause: error,
    });
  }
  const owner = parseOwner(text);
  return owner ? { state: 'owner', owner } : { state: 'unreadable' };
}

function errnoOf(error: unknown): string {
  return (error as NodeJS.ErrnoException | undefined)?.code ?? 'unknown error';
}

/** "10:02" today, "2025-03-04 10:02" on another day: the technician's local time. */
export function formatSince(startedAt: string, now: Date): string {
  const since = new Date(startedAt);
  if (Number.isNaN(since.getTime())) return startedAt;
  const pad = (n: number) => String(n).padStart(2, '0');
  const time = `${pad(since.getHours())}:${pad(since.getMinutes())}`;
  if (since.toDateString() === now.toDateString()) return time;
  return `${since.getFullYear()}-${pad(since.getMonth() + 1)}-${pad(since.getDate())} ${time}`;
}

export function describeOwner(owner: DataDirLockOwner, now: Date): string {
  return `held by ${owner.command} (pid ${owner.pid}) on host ${owner.hostname} since ${formatSince(owner.startedAt, now)}`;
}

function lockedError(dataDir: string, owner: DataDirLockOwner, env: LockEnvironment): DataDirLockError {
  const advice =
    owner.hostname === env.hostname
      ? 'Close that Keyline first, or choose another data directory with --data-dir or KEYLINE_DATA_DIR.'
      : `If that host is gone for good, delete ${path.join(dataDir, LOCK_FILE_NAME)} by hand; otherwise close Keyline there first.`;
  return new DataDirLockError(
    'DATA_DIR_LOCKED',
    `The data directory ${dataDir} is in use: ${describeOwner(owner, env.now())}. ${advice}`,
    { holder: owner },
  );
}

/**
 * Publishes `owner` at `target` only if nothing is there. Returns false when the name exists.
 * The temporary carries the pid in its name so leftovers of dead processes can be swept.
 */
async function publishExclusive(target: string, owner: DataDirLockOwner): Promise<boolean> {
  const directory = path.dirname(target);
  const temporary = path.join(directory, `.${path.basename(target)}.${owner.pid}.${owner.nonce}.tmp`);
  try {
    const handle = await open(temporary, 'wx', 0o600);
    try {
      await handle.writeFile(`${JSON.stringify(owner)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await link(temporary, target);
      return true;
    } catch (error) {
      const code = errnoOf(error);
      if (code === 'EEXIST') return false;
      // Filesystems without hard links (FAT, some network shares): fall back to an exclusive
      // create, accepting the (tiny) window in which a reader may see an empty lock.
      if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'ENOSYS') {
        return await createExclusive(target, owner);
      }
      throw error;
    }
  } catch (error) {
    if (error instanceof DataDirLockError) throw error;
    if (errnoOf(error) === 'ENOSPC' || errnoOf(error) === 'EDQUOT')
      throw storageError('create the lock', target, error);
    throw new DataDirLockError('DATA_DIR_LOCK_FAILED', `Could not create the lock ${target}: ${errnoOf(error)}`, {
      cause: error,
    });
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
}

async function createExclusive(target: string, owner: DataDirLockOwner): Promise<boolean> {
  try {
    const handle = await open(target, 'wx', 0o600);
    try {
      await handle.writeFile(`${JSON.stringify(owner)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    return true;
  } catch (error) {
    if (errnoOf(error) === 'EEXIST') return false;
    throw error;
  }
}

/**
 * Removes the file at `file` if it still is the stale instance `stale`, holding the break marker
 * for that instance while doing so. Returns when the instance is gone (by us or anyone else) or
 * when someone else is breaking it right now (the caller retries).
 */
async function breakStale(file: string, stale: DataDirLockOwner, me: DataDirLockOwner, env: LockEnvironment) {
  const marker = `${file}.break-${stale.nonce}`;
  const myMarker: DataDirLockOwner = { ...me, nonce: randomBytes(8).toString('hex') };
  for (let attempt = 0; attempt < 4; attempt += 1) {
    if (await publishExclusive(marker, myMarker)) {
      try {
        const current = await readOwnerFile(file);
        if (current.state === 'owner' && current.owner.nonce === stale.nonce) {
          await unlink(file).catch((error: unknown) => {
            if (errnoOf(error) !== 'ENOENT') throw error;
          });
        }
      } finally {
        await unlink(marker).catch(() => undefined);
      }
      return;
    }
    // Someone else holds the marker: wait for them, unless they died holding it.
    const other = await readOwnerFile(marker);
    if (other.state === 'missing') continue;
    if (other.state === 'owner' && staleReason(other.owner, env)) {
      await breakStale(marker, other.owner, me, env);
      continue;
    }
    return;
  }
}

/** Removes `.keyline.lock.<pid>.<nonce>.tmp` files whose process is gone. */
async function sweepTemporaries(dataDir: string, env: LockEnvironment): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dataDir);
  } catch {
    return;
  }
  for (const name of names) {
    const match = /^\.keyline\.lock.*\.(\d+)\.[0-9a-f]+\.tmp$/.exec(name);
    if (match && Number(match[1]) !== env.pid && !env.isProcessAlive(Number(match[1]))) {
      await unlink(path.join(dataDir, name)).catch(() => undefined);
    }
  }
}

const held = new Map<string, DataDirLockOwner>();
let exitHookInstalled = false;

/** Last resort on a normal exit (process.exit, end of event loop): synchronous by necessity. */
function releaseAllOnExit(): void {
  for (const [file, owner] of held) {
    try {
      const current = parseOwner(readFileSync(file, 'utf8'));
      if (current?.nonce === owner.nonce) unlinkSync(file);
    } catch {
      // The lock is gone already, or unreadable: nothing of ours to remove.
    }
  }
  held.clear();
}

/**
 * Takes ownership of `dataDir` (created if missing) or throws `DATA_DIR_LOCKED` naming the holder.
 * The lock is released by `release()` and, as a last resort, on a normal process exit; after a
 * crash (SIGKILL, power loss) the next start finds the pid dead and takes the lock over.
 */
export async function acquireDataDirLock(
  dataDir: string,
  options: { command: string; env?: Partial<LockEnvironment>; retryDelayMs?: number },
): Promise<DataDirLock> {
  const env: LockEnvironment = { ...defaultLockEnvironment(), ...options.env };
  const directory = path.resolve(dataDir);
  const file = path.join(directory, LOCK_FILE_NAME);
  try {
    await mkdir(directory, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw storageError('create the data directory', directory, error);
  }
  await sweepTemporaries(directory, env);
  const owner: DataDirLockOwner = {
    pid: env.pid,
    hostname: env.hostname,
    startedAt: env.now().toISOString(),
    command: options.command.slice(0, 200),
    nonce: randomBytes(16).toString('hex'),
    ...(env.bootId ? { bootId: env.bootId } : {}),
  };
  const retryDelayMs = options.retryDelayMs ?? 50;
  let unreadableSince: number | undefined;
  let takeovers = 0;
  for (;;) {
    if (await publishExclusive(file, owner)) return track(directory, file, owner);
    const current = await readOwnerFile(file);
    if (current.state === 'missing') continue;
    if (current.state === 'unreadable') {
      // Only the non-link fallback can show a half-written lock; give its writer a moment.
      unreadableSince ??= Date.now();
      if (Date.now() - unreadableSince > 2000) {
        throw new DataDirLockError(
          'DATA_DIR_LOCK_FAILED',
          `The lock ${file} is not a Keyline lock record; if no Keyline runs on this data directory, delete it by hand.`,
        );
      }
      await delay(retryDelayMs);
      continue;
    }
    if (!staleReason(current.owner, env)) throw lockedError(directory, current.owner, env);
    takeovers += 1;
    if (takeovers > 50) {
      throw new DataDirLockError('DATA_DIR_LOCK_FAILED', `Could not take the lock ${file}: it keeps changing hands.`);
    }
    await breakStale(file, current.owner, owner, env);
    await delay(takeovers === 1 ? 0 : retryDelayMs);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function track(dataDir: string, file: string, owner: DataDirLockOwner): DataDirLock {
  held.set(file, owner);
  if (!exitHookInstalled) {
    process.on('exit', releaseAllOnExit);
    exitHookInstalled = true;
  }
  let released = false;
  return {
    dataDir,
    file,
    owner,
    isHeld: () => !released && held.get(file)?.nonce === owner.nonce,
    async release() {
      if (released) return;
      released = true;
      if (held.get(file)?.nonce === owner.nonce) held.delete(file);
      const current = await readOwnerFile(file).catch(() => ({ state: 'missing' }) as const);
      if (current.state === 'owner' && current.owner.nonce === owner.nonce) {
        await unlink(file).catch(() => undefined);
      }
    },
  };
}

/** Who holds `dataDir` right now, for read-only commands that want to say so (no lock taken). */
export async function readDataDirLock(
  dataDir: string,
  env: Partial<LockEnvironment> = {},
): Promise<{ owner: DataDirLockOwner; alive: boolean } | undefined> {
  const full: LockEnvironment = { ...defaultLockEnvironment(), ...env };
  const current = await readOwnerFile(path.join(path.resolve(dataDir), LOCK_FILE_NAME)).catch(() => undefined);
  if (current?.state !== 'owner') return undefined;
  return { owner: current.owner, alive: staleReason(current.owner, full) === undefined };
}
