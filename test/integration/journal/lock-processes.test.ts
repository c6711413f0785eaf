import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireDataDirLock, LOCK_FILE_NAME, type DataDirLockOwner } from '../../../main/storage/data-dir-lock';
import type { StartedProcess } from '../../helpers/process';
import { kill, runToEnd, startChild } from './support';

let dataDir: string;
const started: StartedProcess[] = [];

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'keyline-lock-int-'));
});
afterEach(async () => {
  await Promise.all(started.splice(0).map((child) => child.stop()));
  await rm(dataDir, { recursive: true, force: true });
});

async function holder(command = 'keyline provision'): Promise<StartedProcess> {
  const child = await startChild(['hold', dataDir, command], /locked (\d+)/);
  started.push(child);
  return child;
}

describe('data-dir lock between real processes', () => {
  it('refuses a second process and names the holder, its pid, host and start time', async () => {
    const first = await holder();
    const pid = Number(first.ready[1]);
    const error = await acquireDataDirLock(dataDir, { command: 'keyline web' }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'DATA_DIR_LOCKED', holder: { pid, command: 'keyline provision' } });
    expect((error as Error).message).toMatch(
      new RegExp(`held by keyline provision \\(pid ${pid}\\) on host ${hostname()} since \\d\\d:\\d\\d`),
    );

    const third = await runToEnd(['try-lock', dataDir, '0']);
    expect(third.code).toBe(3);
    expect(third.stdout).toContain(`refused DATA_DIR_LOCKED`);
    expect(third.stdout).toContain(`(pid ${pid})`);
  });

  it('takes over after the holder is killed with SIGKILL', async () => {
    const first = await holder();
    await kill(first);
    const stale = JSON.parse(await readFile(path.join(dataDir, LOCK_FILE_NAME), 'utf8')) as DataDirLockOwner;
    expect(stale.pid).toBe(Number(first.ready[1]));
    const lock = await acquireDataDirLock(dataDir, { command: 'keyline web' });
    try {
      const now = JSON.parse(await readFile(lock.file, 'utf8')) as DataDirLockOwner;
      expect(now).toMatchObject({ pid: process.pid, command: 'keyline web' });
    } finally {
      await lock.release();
    }
    expect(await readdir(dataDir)).toEqual([]);
  });

  it('lets exactly one of several processes racing for a stale lock win', async () => {
    await kill(await holder());
    const racers = await Promise.all(Array.from({ length: 4 }, () => runToEnd(['try-lock', dataDir, '3000'])));
    const winners = racers.filter((racer) => racer.code === 0);
    const losers = racers.filter((racer) => racer.code === 3);
    expect(winners, racers.map((racer) => racer.stdout + racer.stderr).join('\n')).toHaveLength(1);
    expect(losers).toHaveLength(3);
    for (const loser of losers) expect(loser.stdout).toContain('refused DATA_DIR_LOCKED');
    expect(await readdir(dataDir)).toEqual([]);
  }, 90_000);

  it('releases the lock when the holder exits normally without releasing it', async () => {
    const result = await runToEnd(['exit-holding', dataDir]);
    expect(result.stdout).toMatch(/locked \d+/);
    expect(await readdir(dataDir)).toEqual([]);
  });

  it('releases the lock when the holder is stopped with SIGTERM by its owner', async () => {
    const first = await holder();
    await first.stop();
    expect(await readdir(dataDir)).toEqual([]);
  });
});
