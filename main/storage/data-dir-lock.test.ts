import { unlinkSync, writeFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  acquireDataDirLock,
  DataDirLockError,
  formatSince,
  LOCK_FILE_NAME,
  readDataDirLock,
  type DataDirLock,
  type DataDirLockOwner,
} from './data-dir-lock';

let dir: string;
const locks: DataDirLock[] = [];
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'keyline-lock-'));
});
afterEach(async () => {
  await Promise.all(locks.splice(0).map((lock) => lock.release()));
  await rm(dir, { recursive: true, force: true });
});

async function acquire(command: string, env: Parameters<typeof acquireDataDirLock>[1]['env'] = {}) {
  const lock = await acquireDataDirLock(dir, { command, env, retryDelayMs: 5 });
  locks.push(lock);
  return lock;
}

/** A lock left behind by a process that is gone (pid 999999 is dead in the injected world). */
async function plantStaleLock(overrides: Partial<DataDirLockOwner> = {}): Promise<DataDirLockOwner> {
  const owner: DataDirLockOwner = {
    pid: 999_999,
    hostname: 'bench-1',
    startedAt: '2025-03-04T10:02:00.000Z',
    command: 'keyline provision',
    nonce: 'ab'.repeat(16),
    ...overrides,
  };
  await writeFile(path.join(dir, LOCK_FILE_NAME), JSON.stringify(owner));
  return owner;
}

const world = (alive: number[] = []) => ({
  hostname: 'bench-1',
  bootId: undefined,
  isProcessAlive: (pid: number) => pid === process.pid || alive.includes(pid),
});

describe('acquireDataDirLock', () => {
  it('writes who holds the directory and removes the lock on release', async () => {
    const lock = await acquire('keyline provision', world());
    const stored = JSON.parse(await readFile(path.join(dir, LOCK_FILE_NAME), 'utf8')) as DataDirLockOwner;
    expect(stored).toMatchObject({ pid: process.pid, hostname: 'bench-1', command: 'keyline provision' });
    expect(Object.keys(stored).sort()).toEqual(['command', 'hostname', 'nonce', 'pid', 'startedAt']);
    expect(lock.isHeld()).toBe(true);
    await lock.release();
    expect(lock.isHeld()).toBe(false);
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuses a second owner and says who holds it and since when', async () => {
    await acquire('keyline provision', { ...world(), now: () => new Date(2025, 2, 4, 10, 2) });
    const error = await acquire('keyline web', world()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DataDirLockError);
    expect(error).toMatchObject({ code: 'DATA_DIR_LOCKED', holder: { pid: process.pid } });
    expect((error as Error).message).toContain(
      `held by keyline provision (pid ${process.pid}) on host bench-1 since 2025-03-04 10:02`,
    );
    expect((error as Error).message).toContain('--data-dir');
  });

  it('takes over a lock whose process is dead on this host', async () => {
    await plantStaleLock();
    const lock = await acquire('keyline web', world());
    expect(lock.owner.pid).toBe(process.pid);
    const stored = JSON.parse(await readFile(lock.file, 'utf8')) as DataDirLockOwner;
    expect(stored.nonce).toBe(lock.owner.nonce);
    expect((await readdir(dir)).sort()).toEqual([LOCK_FILE_NAME]);
  });

  it('takes over a lock from before a reboot even if its pid is in use again', async () => {
    await plantStaleLock({ pid: 4242, bootId: 'old-boot' });
    await expect(acquire('keyline web', { ...world([4242]), bootId: 'new-boot' })).resolves.toBeDefined();
  });

  it('never breaks a lock held on another host', async () => {
    await plantStaleLock({ hostname: 'bench-2' });
    const error = await acquire('keyline web', world()).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'DATA_DIR_LOCKED' });
    expect((error as Error).message).toContain('on host bench-2');
    expect((error as Error).message).toContain('delete');
  });

  it('lets exactly one of many racing starters take over a stale lock', async () => {
    await plantStaleLock();
    // Staggered starts, so some judge the lock stale while others are already replacing it.
    const results = await Promise.allSettled(
      Array.from({ length: 16 }, async (_, index) => {
        await new Promise((resolve) => setTimeout(resolve, (index % 8) * 0.5));
        return await acquire(`starter ${index}`, world());
      }),
    );
    const winners = results.filter((result) => result.status === 'fulfilled');
    expect(winners).toHaveLength(1);
    for (const result of results) {
      if (result.status === 'rejected') expect(result.reason).toMatchObject({ code: 'DATA_DIR_LOCKED' });
    }
    expect((await readdir(dir)).sort()).toEqual([LOCK_FILE_NAME]);
  });

  it('does not delete the lock of a starter that took over first (the stale-lock race)', async () => {
    const stale = await plantStaleLock();
    const lockFile = path.join(dir, LOCK_FILE_NAME);
    const faster: DataDirLockOwner = { ...stale, pid: 4242, command: 'keyline provision', nonce: '12'.repeat(16) };
    let tookOver = false;
    // The moment this starter judges the lock stale, another one replaces it (done synchronously
    // here, so the interleaving is certain rather than lucky).
    const isProcessAlive = (pid: number) => {
      if (pid === stale.pid && !tookOver) {
        tookOver = true;
        unlinkSync(lockFile);
        writeFileSync(lockFile, JSON.stringify(faster));
      }
      return pid === 4242 || pid === process.pid;
    };
    const error = await acquire('keyline web', { ...world(), isProcessAlive }).catch((caught: unknown) => caught);
    expect(tookOver).toBe(true);
    expect(error).toMatchObject({ code: 'DATA_DIR_LOCKED', holder: { pid: 4242 } });
    expect(JSON.parse(await readFile(lockFile, 'utf8'))).toEqual(faster);
  });

  it('recovers from a takeover that died half way (its break marker left behind)', async () => {
    const stale = await plantStaleLock();
    const deadBreaker: DataDirLockOwner = { ...stale, pid: 999_998, nonce: 'cd'.repeat(16) };
    await writeFile(path.join(dir, `${LOCK_FILE_NAME}.break-${stale.nonce}`), JSON.stringify(deadBreaker));
    await expect(acquire('keyline web', world())).resolves.toBeDefined();
    expect((await readdir(dir)).sort()).toEqual([LOCK_FILE_NAME]);
  });

  it('reports a file that is not a lock record instead of deleting it', async () => {
    await writeFile(path.join(dir, LOCK_FILE_NAME), 'not a lock');
    const started = Date.now();
    const error = await acquire('keyline web', world()).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'DATA_DIR_LOCK_FAILED' });
    expect((error as Error).message).toContain('not a Keyline lock record');
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await readFile(path.join(dir, LOCK_FILE_NAME), 'utf8')).toBe('not a lock');
  }, 15_000);

  it('does not remove a lock that is no longer its own', async () => {
    const lock = await acquire('keyline web', world());
    await rm(lock.file);
    const other = await plantStaleLock({ pid: process.pid, nonce: 'ef'.repeat(16) });
    await lock.release();
    expect(JSON.parse(await readFile(lock.file, 'utf8'))).toEqual(other);
  });

  it('tells read-only commands who holds the directory, without taking it', async () => {
    expect(await readDataDirLock(dir)).toBeUndefined();
    await plantStaleLock();
    expect(await readDataDirLock(dir, world())).toMatchObject({ alive: false, owner: { pid: 999_999 } });
    await rm(path.join(dir, LOCK_FILE_NAME));
    await acquire('keyline provision', world());
    expect(await readDataDirLock(dir, world())).toMatchObject({ alive: true, owner: { pid: process.pid } });
  });
});

describe('formatSince', () => {
  it('shows the time of day for today and the date otherwise', () => {
    const now = new Date(2025, 2, 4, 15, 0);
    expect(formatSince(new Date(2025, 2, 4, 9, 5).toISOString(), now)).toBe('09:05');
    expect(formatSince(new Date(2025, 2, 3, 23, 59).toISOString(), now)).toBe('2025-03-03 23:59');
  });
});
