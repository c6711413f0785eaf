import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireDataDirLock } from '../../main/storage/data-dir-lock';
import { openJournal } from '../../main/provisioning/journal';
import { auditJournal, filesUnder, findSecrets, keyBalance, type PlatformKey } from './invariants';

const RUN = '20261126T120000Z-0123456789';

/** The soak's and the crash tests' checks must be able to fail: each is shown catching what it looks for. */
const key = (id: string, name: string, status: 'active' | 'inactive' = 'active'): PlatformKey => ({
  id,
  key: `k-${id}`,
  name,
  status,
  deviceIds: ['d'],
});

describe('soak invariants', () => {
  it('finds an active keyline key that no unit runs on, and a unit on a key that is not active', () => {
    const keys = [
      key('a', 'keyline-run-a'),
      key('b', 'keyline-run-b'),
      key('c', 'keyline-run-c', 'inactive'),
      key('w', 'Workshop key'),
    ];
    expect(keyBalance(keys, ['a', 'c', 'w'])).toEqual({
      active: ['a', 'b'],
      committed: ['a', 'c'],
      orphans: ['b'],
      missing: ['c'],
    });
    expect(keyBalance(keys.slice(0, 1), ['a'])).toMatchObject({ orphans: [], missing: [] });
  });

  it('finds a secret in raw, hex and base64 forms, and names the place', () => {
    const secret = 'soak-secret-0123456789';
    const places = [
      { name: 'log', text: `x ${Buffer.from(secret).toString('hex')} y` },
      { name: 'export', text: Buffer.from(secret).toString('base64') },
      { name: 'clean', text: 'nothing here' },
    ];
    expect(findSecrets([secret], places)).toEqual(['log: soak…', 'export: soak…']);
  });

  it('reports runs without a final record and intents left open', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'keyline-invariants-'));
    try {
      const lock = await acquireDataDirLock(dir, { command: 'invariants test' });
      const journal = await openJournal({ lock });
      await journal.append({
        kind: 'intent',
        runId: RUN,
        action: 'provision',
        hwid: 'HW-1',
        keyName: `keyline-${RUN}`,
      });
      await journal.close();
      await lock.release();
      const audit = await auditJournal(dir, [RUN, 'run-never-journaled']);
      expect(audit).toMatchObject({ withFinalRecord: 0, missing: [RUN, 'run-never-journaled'], unfinished: 1 });
      await writeFile(path.join(dir, 'note.txt'), 'plain');
      expect((await filesUnder(dir)).map((file) => path.basename(file.name))).toContain('note.txt');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
