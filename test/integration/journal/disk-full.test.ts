import { execFile } from 'node:child_process';
import { mkdtemp, open, rm, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openJournal, verifyJournal, type JournalRecord } from '../../../main/provisioning/journal';
import { acquireDataDirLock } from '../../../main/storage/data-dir-lock';

const run = promisify(execFile);
let mountPoint: string;
let mounted = false;
let skipReason = '';

/**
 * A real full disk: a 256 KiB tmpfs. Mounting needs root (CAP_SYS_ADMIN); elsewhere the test is
 * skipped with the reason printed, and the unit test with an injected ENOSPC stands in.
 */
beforeAll(async () => {
  mountPoint = await mkdtemp(path.join(tmpdir(), 'keyline-tmpfs-'));
  try {
    await run('mount', ['-t', 'tmpfs', '-o', 'size=256k,mode=0700', 'tmpfs', mountPoint]);
    mounted = true;
  } catch (error) {
    skipReason = `cannot mount a tmpfs here (${(error as { stderr?: string }).stderr?.trim() || (error as Error).message})`;
  }
});
afterAll(async () => {
  if (mounted) await run('umount', [mountPoint]).catch(() => run('umount', ['-l', mountPoint]));
  await rmdir(mountPoint).catch(() => undefined);
});

/** Fills the filesystem with a file until ENOSPC; returns its path (delete it to free the space). */
async function fill(dir: string): Promise<string> {
  const file = path.join(dir, 'filler');
  const handle = await open(file, 'w');
  const block = Buffer.alloc(4096, 0x41);
  try {
    for (;;) await handle.write(block);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    await handle.close();
  }
  return file;
}

describe('a full disk under the journal', () => {
  it('fails appends with STORAGE_DISK_FULL, keeps the journal intact, and goes on once space is free', async (context) => {
    if (!mounted) {
      console.warn(`disk-full test skipped: ${skipReason}`);
      context.skip(skipReason);
    }
    const dataDir = path.join(mountPoint, 'data');
    const lock = await acquireDataDirLock(dataDir, { command: 'keyline provision' });
    const journal = await openJournal({ lock });
    try {
      const filler = await fill(mountPoint);
      const durable: JournalRecord[] = [];
      let failure: unknown;
      for (let index = 0; index < 500 && !failure; index += 1) {
        await journal
          .append({
            kind: 'intent',
            runId: `run-${index}`,
            action: 'provision',
            hwid: `HW-${index}`,
            keyName: `keyline-run-${index}`,
            operator: 'ann'.repeat(20),
          })
          .then(
            (record) => durable.push(record),
            (error: unknown) => (failure = error),
          );
      }
      expect(failure).toMatchObject({ code: 'STORAGE_DISK_FULL' });
      expect((failure as Error).message).toContain('is full');

      const integrity = await verifyJournal(dataDir);
      expect(integrity.intact).toBe(true);
      expect(integrity.lastSeq).toBe(durable.at(-1)?.seq ?? 1);

      await rm(filler);
      const next = await journal.append({ kind: 'outcome', runId: 'after-space', outcome: 'skipped' });
      expect(next.seq).toBe((integrity.lastSeq as number) + 1);
      expect(await verifyJournal(dataDir)).toMatchObject({ intact: true, lastSeq: next.seq });
    } finally {
      await journal.close();
      await lock.release();
    }
  });
});
