import { mkdtemp, readdir, readFile, rm, truncate, writeFile, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireDataDirLock, type DataDirLock } from '../../storage/data-dir-lock';
import { recordHash } from './canonical-json';
import { journalDir } from './journal-files';
import { nodeJournalFs, type JournalFs } from './journal-fs';
import { verifyJournal } from './journal-reader';
import { openJournal, type Journal, type OpenJournalOptions } from './journal-writer';
import { GENESIS_HASH, type JournalEntryInput } from './record-schema';

let dataDir: string;
let lock: DataDirLock;
const journals: Journal[] = [];
let tick: number;
const clock = () => new Date((tick += 1000));

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'keyline-journal-'));
  tick = Date.parse('2025-03-04T10:00:00.000Z');
  lock = await acquireDataDirLock(dataDir, { command: 'keyline test', env: { hostname: 'bench-1', now: clock } });
});
afterEach(async () => {
  await Promise.all(journals.splice(0).map((journal) => journal.close()));
  await lock.release();
  await rm(dataDir, { recursive: true, force: true });
});

async function open(options: Partial<OpenJournalOptions> = {}): Promise<Journal> {
  const journal = await openJournal({ lock, clock, ...options });
  journals.push(journal);
  return journal;
}

const file1 = () => path.join(journalDir(dataDir), 'journal-000001.jsonl');
const lines = async (file = file1()) => (await readFile(file, 'utf8')).split('\n').filter(Boolean);

const intent = (runId: string): JournalEntryInput => ({
  kind: 'intent',
  runId,
  action: 'provision',
  hwid: `HW-${runId}`,
  keyName: `keyline-${runId}`,
  port: '/dev/ttyUSB0',
  operator: 'ann',
  station: 'bench-1',
});

describe('openJournal and append', () => {
  it('writes hash-chained JSON lines that verify, starting from the genesis', async () => {
    const journal = await open();
    const record = await journal.append(intent('run-1'));
    expect(record).toMatchObject({ seq: 2, kind: 'intent', runId: 'run-1', time: '2025-03-04T10:00:03.000Z' });
    const stored = (await lines()).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(stored.map((line) => line['kind'])).toEqual(['journal', 'intent']);
    expect(stored[0]).toMatchObject({ seq: 1, event: 'opened', command: 'keyline test', prevHash: GENESIS_HASH });
    expect(stored[1]?.['prevHash']).toBe(stored[0]?.['hash']);
    const { hash, ...rest } = stored[1] as Record<string, unknown>;
    expect(recordHash(stored[0]?.['hash'] as string, rest)).toBe(hash);
    expect(journal.head()).toEqual({ seq: 2, hash });
    expect(await verifyJournal(dataDir)).toMatchObject({ intact: true, records: 2, lastSeq: 2, lastHash: hash });
  });

  it('keeps call order and durability under concurrent appends (group commit)', async () => {
    const journal = await open();
    const runs = Array.from({ length: 200 }, (_, index) => `run-${index}`);
    const records = await Promise.all(runs.map((runId) => journal.append(intent(runId))));
    expect(records.map((record) => record.seq)).toEqual(runs.map((_, index) => index + 2));
    const stored = (await lines()).slice(1).map((line) => (JSON.parse(line) as { runId: string }).runId);
    expect(stored).toEqual(runs);
    expect(await verifyJournal(dataDir)).toMatchObject({ intact: true, records: 201 });
  });

  it('continues the chain when opened again', async () => {
    const first = await open();
    await first.append(intent('run-1'));
    await first.close();
    const second = await open();
    expect(second.opened.quarantined).toBeUndefined();
    const record = await second.append(intent('run-2'));
    expect(record.seq).toBe(4);
    expect(await verifyJournal(dataDir)).toMatchObject({ intact: true, records: 4 });
  });

  it('refuses a record that does not fit the schema, naming the field, writing nothing', async () => {
    const journal = await open();
    const bad = { ...intent('run-1'), deviceId: 'not-an-id' } as JournalEntryInput;
    await expect(journal.append(bad)).rejects.toMatchObject({
      code: 'JOURNAL_INVALID_RECORD',
      message: expect.stringContaining('deviceId') as unknown,
    });
    await expect(
      journal.append({ ...intent('run-1'), extra: 1 } as unknown as JournalEntryInput),
    ).rejects.toMatchObject({
      code: 'JOURNAL_INVALID_RECORD',
    });
    expect(await lines()).toHaveLength(1);
  });

  it('refuses a second writer for the same data dir in one process', async () => {
    const journal = await open();
    await expect(openJournal({ lock })).rejects.toMatchObject({ code: 'JOURNAL_ALREADY_OPEN' });
    await journal.close();
    await expect(open()).resolves.toBeDefined();
  });

  it('needs the data-dir lock, and refuses appends after close', async () => {
    const journal = await open();
    await journal.close();
    await expect(journal.append(intent('run-1'))).rejects.toMatchObject({ code: 'JOURNAL_CLOSED' });
    await lock.release();
    await expect(openJournal({ lock })).rejects.toMatchObject({ code: 'JOURNAL_LOCK_REQUIRED' });
  });

  it('stops appending when the lock it was opened with is released', async () => {
    const journal = await open();
    await lock.release();
    await expect(journal.append(intent('run-1'))).rejects.toMatchObject({ code: 'JOURNAL_LOCK_REQUIRED' });
  });

  it('rotates files by size and continues the chain across them', async () => {
    const journal = await open({ maxFileBytes: 2000 });
    for (let index = 0; index < 30; index += 1) await journal.append(intent(`run-${index}`));
    const files = (await readdir(journalDir(dataDir))).sort();
    expect(files.length).toBeGreaterThan(3);
    const second = JSON.parse((await lines(path.join(journalDir(dataDir), files[1] as string)))[0] as string);
    expect(second).toMatchObject({ kind: 'journal', event: 'file-started', previousFile: 'journal-000001.jsonl' });
    const result = await verifyJournal(dataDir);
    expect(result).toMatchObject({ intact: true, files });
    expect(result.records).toBe(31 + files.length - 1);
    await journal.close();
    // A restart in a later file reads its anchor from that file alone.
    const reopened = await open({ maxFileBytes: 2000 });
    expect(reopened.opened).toEqual({ file: files.at(-1) });
    const last = await reopened.append(intent('after'));
    expect(last.seq).toBeGreaterThan(result.records + 1);
    const after = await verifyJournal(dataDir);
    expect(after).toMatchObject({ intact: true, damagedFiles: [], records: last.seq, lastSeq: last.seq });
  });
});

describe('a damaged tail found on open', () => {
  it('is copied to a .damaged file, cut off, and recorded; the journal verifies again', async () => {
    const journal = await open();
    await journal.append(intent('run-1'));
    await journal.append(intent('run-2'));
    await journal.close();
    const full = await readFile(file1());
    const cut = full.length - 40;
    await truncate(file1(), cut);
    const before = await verifyJournal(dataDir);
    expect(before).toMatchObject({ intact: false, records: 2, firstBreak: { kind: 'truncated-line', line: 3 } });

    const reopened = await open();
    const quarantined = reopened.opened.quarantined;
    expect(quarantined).toMatchObject({ file: 'journal-000001.jsonl', bytes: expect.any(Number) as unknown });
    const damaged = await readFile(path.join(journalDir(dataDir), quarantined?.damagedFile as string));
    const goodEnd = quarantined?.offset as number;
    expect(damaged.equals(full.subarray(goodEnd, cut))).toBe(true);

    const stored = (await lines()).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(stored.slice(-2)).toMatchObject([
      { kind: 'journal', event: 'tail-quarantined', damagedFile: quarantined?.damagedFile, seq: 3 },
      { kind: 'journal', event: 'opened', seq: 4 },
    ]);
    const after = await verifyJournal(dataDir);
    expect(after).toMatchObject({ intact: true, records: 4, damagedFiles: [quarantined?.damagedFile] });
  });

  it('sets aside a changed record and everything after it, keeping the bytes', async () => {
    const journal = await open();
    for (const runId of ['run-1', 'run-2', 'run-3']) await journal.append(intent(runId));
    await journal.close();
    const text = await readFile(file1(), 'utf8');
    const edited = text.replace('HW-run-2', 'HW-run-X');
    await writeFile(file1(), edited);
    const reopened = await open();
    expect(reopened.opened.quarantined?.reason).toContain('does not match its hash');
    const damaged = await readFile(
      path.join(journalDir(dataDir), reopened.opened.quarantined?.damagedFile as string),
      'utf8',
    );
    expect(damaged).toContain('HW-run-X');
    expect(damaged).toContain('HW-run-3');
    expect(await verifyJournal(dataDir)).toMatchObject({ intact: true });
  });

  it('keeps a complete last record that only lost its newline', async () => {
    const journal = await open();
    await journal.append(intent('run-1'));
    await journal.close();
    const full = await readFile(file1());
    await truncate(file1(), full.length - 1);
    const reopened = await open();
    expect(reopened.opened.quarantined).toBeUndefined();
    expect(await lines()).toHaveLength(3);
    expect(await verifyJournal(dataDir)).toMatchObject({ intact: true, records: 3 });
  });

  it('continues from the previous file when the last one holds no intact record', async () => {
    const journal = await open({ maxFileBytes: 1500 });
    for (let index = 0; index < 12; index += 1) await journal.append(intent(`run-${index}`));
    await journal.close();
    const files = (await readdir(journalDir(dataDir))).sort();
    const last = path.join(journalDir(dataDir), files.at(-1) as string);
    await writeFile(last, '{"seq":');
    const reopened = await open({ maxFileBytes: 1500 });
    expect(reopened.opened.quarantined).toMatchObject({ offset: 0, bytes: 7 });
    expect(await verifyJournal(dataDir)).toMatchObject({ intact: true });
  });
});

/** A file system whose writes fail the way a full disk does: part written, then ENOSPC. */
function fullDisk(state: { full: boolean; syncFails?: boolean }): JournalFs {
  return {
    syncDirectory: nodeJournalFs.syncDirectory,
    async open(file, flags, mode) {
      const handle = await nodeJournalFs.open(file, flags, mode);
      return {
        ...handle,
        // Writes are not durable by themselves here, so each append ends with the datasync below.
        durableWrites: false,
        async write(buffer, offset, length) {
          if (!state.full) return await handle.write(buffer, offset, length);
          if (length > 10) {
            await handle.write(buffer, offset, Math.floor(length / 2));
          }
          throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        },
        async datasync() {
          if (state.syncFails) throw Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' });
          await handle.datasync();
        },
      };
    },
  };
}

describe('write failures', () => {
  it('reports a full disk, leaves the file ending at the last durable record, and recovers', async () => {
    const state = { full: false };
    const journal = await open({ fs: fullDisk(state) });
    await journal.append(intent('run-1'));
    state.full = true;
    await expect(journal.append(intent('run-2'))).rejects.toMatchObject({
      code: 'STORAGE_DISK_FULL',
      message: expect.stringContaining('full') as unknown,
    });
    expect(await verifyJournal(dataDir)).toMatchObject({ intact: true, records: 2 });
    state.full = false;
    const record = await journal.append(intent('run-2'));
    expect(record.seq).toBe(3);
    expect(await verifyJournal(dataDir)).toMatchObject({ intact: true, records: 3 });
  });

  it('stops appending after a failed sync, until reopened', async () => {
    const state = { full: false, syncFails: false };
    const journal = await open({ fs: fullDisk(state) });
    state.syncFails = true;
    await expect(journal.append(intent('run-1'))).rejects.toMatchObject({ code: 'STORAGE_WRITE_FAILED' });
    state.syncFails = false;
    await expect(journal.append(intent('run-2'))).rejects.toMatchObject({ code: 'JOURNAL_DAMAGED' });
    await journal.close();
    const reopened = await open();
    await reopened.append(intent('run-3'));
    expect(await verifyJournal(dataDir)).toMatchObject({ intact: true });
  });

  it('rejects every record of a failed group commit and keeps none of them', async () => {
    const state = { full: false };
    const journal = await open({ fs: fullDisk(state) });
    state.full = true;
    const results = await Promise.allSettled(['a', 'b', 'c'].map((runId) => journal.append(intent(runId))));
    expect(results.every((result) => result.status === 'rejected')).toBe(true);
    expect(await lines()).toHaveLength(1);
  });
});

describe('durable writes', () => {
  /** Counts the datasyncs of the real file system; `failWrite` makes the next write fail with EIO. */
  function counting(state: { syncs: number; failWrite?: boolean }): JournalFs {
    return {
      syncDirectory: nodeJournalFs.syncDirectory,
      async open(file, flags, mode) {
        const handle = await nodeJournalFs.open(file, flags, mode);
        return {
          ...handle,
          async write(buffer, offset, length) {
            if (state.failWrite) throw Object.assign(new Error('EIO: i/o error, write'), { code: 'EIO' });
            return await handle.write(buffer, offset, length);
          },
          async datasync() {
            state.syncs += 1;
            await handle.datasync();
          },
        };
      },
    };
  }

  it.runIf(process.platform === 'linux')(
    'opens the file with O_DSYNC on Linux, so an append needs no fdatasync',
    async () => {
      const state = { syncs: 0 };
      const journal = await open({ fs: counting(state) });
      const before = state.syncs;
      await Promise.all(['a', 'b', 'c'].map((runId) => journal.append(intent(runId))));
      await journal.append(intent('d'));
      expect(state.syncs).toBe(before);
      expect(await verifyJournal(dataDir)).toMatchObject({ intact: true, records: 5 });
    },
  );

  it.runIf(process.platform === 'linux')(
    'stops appending after a durable write failed with EIO, until reopened',
    async () => {
      const state = { syncs: 0, failWrite: false };
      const journal = await open({ fs: counting(state) });
      state.failWrite = true;
      await expect(journal.append(intent('run-1'))).rejects.toMatchObject({ code: 'STORAGE_WRITE_FAILED' });
      state.failWrite = false;
      await expect(journal.append(intent('run-2'))).rejects.toMatchObject({ code: 'JOURNAL_DAMAGED' });
      await journal.close();
      const reopened = await open();
      await reopened.append(intent('run-3'));
      expect(await verifyJournal(dataDir)).toMatchObject({ intact: true });
    },
  );
});

describe('records written by hand', () => {
  it('a line appended by hand without the chain is detected', async () => {
    const journal = await open();
    await journal.append(intent('run-1'));
    await appendFile(file1(), '{"hello":"world"}\n');
    expect(await verifyJournal(dataDir)).toMatchObject({ intact: false, firstBreak: { kind: 'invalid-record' } });
  });
});
