import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireFileLock, withFileLock } from './file-lock';

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'keyline-lock-'));
  file = path.join(dir, 'locks', 'sign-in.lock');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('withFileLock', () => {
  it('lets one holder in at a time', async () => {
    const trace: string[] = [];
    const task = (name: string) =>
      withFileLock(file, async () => {
        trace.push(`${name} in`);
        await new Promise((resolve) => setTimeout(resolve, 30));
        trace.push(`${name} out`);
      });
    await Promise.all([task('a'), task('b'), task('c')]);
    for (let index = 0; index < trace.length; index += 2) {
      expect(trace[index]!.split(' ')[0]).toBe(trace[index + 1]!.split(' ')[0]);
    }
    expect(await readdir(path.dirname(file))).toEqual([]);
  });

  it('takes over a lock whose process is gone', async () => {
    await withFileLock(file, async () => undefined); // creates the folder
    await writeFile(file, JSON.stringify({ pid: 999_999, host: os.hostname(), since: Date.now(), nonce: 'dead' }));
    const result = await withFileLock(file, async () => 'ran', { isAlive: () => false, timeoutMs: 1000 });
    expect(result).toBe('ran');
  });

  it('takes over a lock held too long by a live process (hung)', async () => {
    await withFileLock(file, async () => undefined);
    await writeFile(
      file,
      JSON.stringify({ pid: process.pid, host: os.hostname(), since: Date.now() - 120_000, nonce: 'x' }),
    );
    await expect(withFileLock(file, async () => 'ran', { staleMs: 60_000, timeoutMs: 1000 })).resolves.toBe('ran');
  });

  it('gives up with a typed error while another live process holds it', async () => {
    const release = await acquireFileLock(file);
    await expect(withFileLock(file, async () => 'ran', { timeoutMs: 150, retryMs: 20 })).rejects.toMatchObject({
      code: 'AUTH_LOCK_TIMEOUT',
    });
    await release();
    await expect(withFileLock(file, async () => 'ran', { timeoutMs: 150 })).resolves.toBe('ran');
  });

  it('does not remove a lock that was taken over from it', async () => {
    const release = await acquireFileLock(file);
    const other = JSON.stringify({ pid: 1, host: 'another-host', since: Date.now(), nonce: 'theirs' });
    await writeFile(file, other);
    await release();
    expect(await readFile(file, 'utf8')).toBe(other);
  });

  it('releases the lock when the task fails', async () => {
    await expect(withFileLock(file, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(withFileLock(file, async () => 'ran', { timeoutMs: 100 })).resolves.toBe('ran');
  });
});
