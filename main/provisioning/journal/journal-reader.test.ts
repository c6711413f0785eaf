import { mkdtemp, readFile, rename, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireDataDirLock } from '../../storage/data-dir-lock';
import { journalDir } from './journal-files';
import { readJournalRecords, verifyJournal } from './journal-reader';
import { openJournal } from './journal-writer';

let dataDir: string;
const file1 = () => path.join(journalDir(dataDir), 'journal-000001.jsonl');

/** Writes `count` intents (plus the opened record: seq 1) and closes everything. */
async function writeJournal(count: number, maxFileBytes?: number): Promise<void> {
  const lock = await acquireDataDirLock(dataDir, { command: 'keyline test' });
  const journal = await openJournal({ lock, ...(maxFileBytes ? { maxFileBytes } : {}) });
  for (let index = 1; index <= count; index += 1) {
    await journal.append({
      kind: 'intent',
      runId: `run-${index}`,
      action: 'provision',
      hwid: `HW-${index}`,
      keyName: `keyline-run-${index}`,
    });
  }
  await journal.close();
  await lock.release();
}

async function editLines(edit: (lines: string[]) => string[]): Promise<void> {
  const lines = (await readFile(file1(), 'utf8')).split('\n');
  await writeFile(file1(), edit(lines).join('\n'));
}

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'keyline-verify-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('verifyJournal', () => {
  it('says a journal is intact and where it ends', async () => {
    await writeJournal(5);
    expect(await verifyJournal(dataDir)).toMatchObject({ intact: true, records: 6, lines: 6, lastSeq: 6, breaks: 0 });
  });

  it('finds one changed byte in the middle (bad hash) and re-anchors after it', async () => {
    await writeJournal(9);
    const bytes = await readFile(file1());
    const lineStarts = [0, ...[...bytes.entries()].filter(([, byte]) => byte === 0x0a).map(([at]) => at + 1)];
    const target = bytes.indexOf('HW-5', lineStarts[5]);
    bytes[target + 3] = '6'.charCodeAt(0);
    await writeFile(file1(), bytes);
    const result = await verifyJournal(dataDir);
    expect(result).toMatchObject({
      intact: false,
      records: 5,
      lastSeq: 5,
      breaks: 1,
      linesAfterBreak: 5,
      firstBreak: { kind: 'bad-hash', line: 6, seq: 6, offset: lineStarts[5] },
    });
    expect(result.firstBreak?.message).toContain('changed after it was written');
  });

  it('finds a removed record (broken chain)', async () => {
    await writeJournal(6);
    await editLines((lines) => lines.filter((_, index) => index !== 3));
    expect(await verifyJournal(dataDir)).toMatchObject({
      intact: false,
      records: 3,
      breaks: 1,
      firstBreak: { kind: 'broken-chain', line: 4, seq: 5 },
    });
  });

  it('finds a line that is not JSON as one break, not a cascade', async () => {
    await writeJournal(6);
    await editLines((lines) => [...lines.slice(0, 2), 'garbage', ...lines.slice(3)]);
    expect(await verifyJournal(dataDir)).toMatchObject({
      intact: false,
      records: 2,
      totalRecords: 6,
      breaks: 1,
      firstBreak: { kind: 'not-json', line: 3 },
    });
  });

  it('finds a file cut in the middle of its last line', async () => {
    await writeJournal(4);
    const size = (await readFile(file1())).length;
    await truncate(file1(), size - 30);
    const result = await verifyJournal(dataDir);
    expect(result).toMatchObject({ intact: false, records: 4, firstBreak: { kind: 'truncated-line', line: 5 } });
    expect(result.firstBreak?.message).toContain('no newline');
  });

  it('finds a missing file between rotated files', async () => {
    await writeJournal(30, 1500);
    const dir = journalDir(dataDir);
    await rm(path.join(dir, 'journal-000002.jsonl'));
    const result = await verifyJournal(dataDir);
    expect(result).toMatchObject({ intact: false, firstBreak: { kind: 'missing-file', file: 'journal-000003.jsonl' } });
    expect(result.firstBreak?.message).toContain('journal-000002.jsonl missing');
  });

  it('says there is no journal when the folder is missing', async () => {
    await expect(verifyJournal(path.join(dataDir, 'nowhere'))).rejects.toMatchObject({ code: 'JOURNAL_NOT_FOUND' });
  });
});

describe('readJournalRecords', () => {
  it('yields records after a break too, marking the damaged one, and reports the break', async () => {
    await writeJournal(4);
    await editLines((lines) => lines.map((line) => line.replace('HW-2', 'HW-X')));
    const breaks: string[] = [];
    const records = [];
    for await (const read of readJournalRecords(dataDir, { onBreak: (problem) => breaks.push(problem.kind) })) {
      records.push(read);
    }
    expect(records.map((read) => read.integrity)).toEqual(['ok', 'ok', 'bad-hash', 'ok', 'ok']);
    expect(breaks).toEqual(['bad-hash']);
  });

  it('reads a journal another process holds (no lock needed)', async () => {
    await writeJournal(2);
    const lock = await acquireDataDirLock(dataDir, { command: 'keyline provision' });
    try {
      expect(await verifyJournal(dataDir)).toMatchObject({ intact: true, records: 3 });
    } finally {
      await lock.release();
    }
    // and a journal moved elsewhere is read from there
    const moved = `${dataDir}-moved`;
    await rename(dataDir, moved);
    try {
      expect(await verifyJournal(moved)).toMatchObject({ intact: true });
    } finally {
      await rename(moved, dataDir);
    }
  });
});
