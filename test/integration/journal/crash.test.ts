import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { journalDir, openJournal, verifyJournal } from '../../../main/provisioning/journal';
import { acquireDataDirLock } from '../../../main/storage/data-dir-lock';
import type { StartedProcess } from '../../helpers/process';
import { kill, startChild } from './support';

let dataDir: string;
const started: StartedProcess[] = [];

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'keyline-crash-'));
});
afterEach(async () => {
  await Promise.all(started.splice(0).map((child) => child.stop()));
  await rm(dataDir, { recursive: true, force: true });
});

function acked(output: string): number[] {
  return [...output.matchAll(/^acked (\d+)$/gm)].map((match) => Number(match[1]));
}

async function waitFor(check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Reopens the journal in this process (taking the dead child's lock over) and appends one record. */
async function restart(): Promise<Awaited<ReturnType<typeof openJournal>>['opened']> {
  const lock = await acquireDataDirLock(dataDir, { command: 'keyline provision' });
  try {
    const journal = await openJournal({ lock });
    await journal.append({ kind: 'outcome', runId: 'after-restart', outcome: 'skipped' });
    await journal.close();
    return journal.opened;
  } finally {
    await lock.release();
  }
}

describe('a station killed while appending', () => {
  for (const lanes of [1, 8]) {
    it(`keeps every acknowledged record when SIGKILLed mid-loop (${lanes} concurrent writer${lanes > 1 ? 's' : ''})`, async () => {
      const child = await startChild(['append-loop', dataDir, String(lanes)], /ready \d+/);
      started.push(child);
      const target = 40 + Math.floor(Math.random() * 80);
      await waitFor(() => acked(child.output()).length >= target);
      await kill(child);
      const seen = acked(child.output());
      const highest = Math.max(...seen);

      const integrity = await verifyJournal(dataDir);
      // Every record the writer was told is durable is there, verified, in one unbroken chain.
      expect(integrity.records).toBeGreaterThanOrEqual(highest);
      expect(integrity.lastSeq).toBe(integrity.records);
      // The tail is either clean or one unfinished line, reported as such (never hidden).
      if (!integrity.intact) {
        expect(integrity.firstBreak?.kind).toBe('truncated-line');
        expect(integrity.linesAfterBreak).toBe(1);
      }

      await restart();
      const after = await verifyJournal(dataDir);
      expect(after.intact).toBe(true);
      expect(after.records).toBeGreaterThanOrEqual(highest + 2);
    });
  }

  it('detects a record torn in half by the crash, sets it aside on restart, and records that', async () => {
    const child = await startChild(['torn', dataDir, '5'], /^torn$/m);
    started.push(child);
    await kill(child);
    expect(acked(child.output())).toEqual([2, 3, 4, 5, 6]);

    const before = await verifyJournal(dataDir);
    expect(before).toMatchObject({
      intact: false,
      records: 6,
      lastSeq: 6,
      linesAfterBreak: 1,
      firstBreak: { kind: 'truncated-line', file: 'journal-000001.jsonl', line: 7 },
    });
    const fileBytes = await readFile(path.join(journalDir(dataDir), 'journal-000001.jsonl'));
    const tornBytes = fileBytes.subarray(before.firstBreak?.offset);

    const opened = await restart();
    expect(opened.quarantined).toMatchObject({ bytes: tornBytes.length, offset: before.firstBreak?.offset });
    const damaged = await readFile(path.join(journalDir(dataDir), opened.quarantined?.damagedFile as string));
    expect(damaged.equals(tornBytes)).toBe(true);
    expect(damaged.toString()).toContain('"run-torn"');

    const after = await verifyJournal(dataDir);
    expect(after).toMatchObject({ intact: true, records: 9, damagedFiles: [opened.quarantined?.damagedFile] });
    const text = await readFile(path.join(journalDir(dataDir), 'journal-000001.jsonl'), 'utf8');
    expect(text).toContain('"event":"tail-quarantined"');
    expect((await readdir(journalDir(dataDir))).sort()).toEqual([
      'journal-000001.jsonl',
      opened.quarantined?.damagedFile,
    ]);
  });
});
