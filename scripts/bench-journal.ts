/**
 * Journal micro-benchmark (`npm run bench:journal [-- --dir DIR] [-- --records N]`): how many
 * durable appends per second this machine's disk gives, one at a time (an fdatasync per record)
 * and with 32 lanes appending at once (group commit: one write and one sync per batch), then how
 * fast the journal verifies and exports. Prints figures and ends with one JSON line.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { exportJournal, openJournal, verifyJournal, type JournalEntryInput } from '../main/provisioning/journal';
import { nodeJournalFs, type JournalFs } from '../main/provisioning/journal/journal-fs';
import { acquireDataDirLock } from '../main/storage/data-dir-lock';

const { values } = parseArgs({
  options: { dir: { type: 'string' }, records: { type: 'string' } },
});
const base = values.dir ?? tmpdir();
const sequentialCount = Number(values.records ?? 2000);

function filesystemOf(dir: string): string {
  try {
    return execFileSync('stat', ['-f', '-c', '%T', dir], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

/** Counts fdatasync calls, to show how many records each group commit carried. */
function countingFs(counter: { syncs: number }): JournalFs {
  return {
    syncDirectory: nodeJournalFs.syncDirectory,
    async open(file, flags, mode) {
      const handle = await nodeJournalFs.open(file, flags, mode);
      return {
        ...handle,
        datasync: async () => {
          counter.syncs += 1;
          await handle.datasync();
        },
      };
    },
  };
}

const entry = (index: number): JournalEntryInput => ({
  kind: 'outcome',
  runId: `bench-${index}`,
  action: 'provision',
  outcome: 'passed',
  hwid: `AA:BB:CC:${String(index).padStart(8, '0')}`,
  deviceId: '5f0c9a1b2c3d4e5f60718293',
  accessKeyId: '65a1b2c3d4e5f60718293a4b',
  fingerprintPrefix: '9f86d081884c7d65',
  verification: 'device',
  durationMs: 2400,
  operator: 'bench',
  station: 'bench-1',
  port: '/dev/ttyACM0',
  steps: [
    { name: 'identify', status: 'passed', ms: 120 },
    { name: 'mint', status: 'passed', ms: 84 },
    { name: 'stage', status: 'passed', ms: 310 },
    { name: 'verify', status: 'passed', ms: 1650 },
    { name: 'commit', status: 'passed', ms: 153 },
  ],
});

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(path.join(base, 'keyline-bench-journal-'));
  const lock = await acquireDataDirLock(dataDir, { command: 'keyline bench' });
  const counter = { syncs: 0 };
  const journal = await openJournal({ lock, fs: countingFs(counter) });
  try {
    console.log(`journal bench in ${dataDir} (filesystem: ${filesystemOf(dataDir)}, node ${process.version})`);

    // 1. One append at a time: each waits for its own write + fdatasync.
    const latencies: number[] = [];
    let started = performance.now();
    for (let index = 0; index < sequentialCount; index += 1) {
      const before = performance.now();
      await journal.append(entry(index));
      latencies.push(performance.now() - before);
    }
    const sequentialSeconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    const sequential = {
      records: sequentialCount,
      appendsPerSec: Math.round(sequentialCount / sequentialSeconds),
      p50Ms: Number(percentile(latencies, 50).toFixed(3)),
      p99Ms: Number(percentile(latencies, 99).toFixed(3)),
    };
    console.log(
      `sequential (fsync per record): ${sequential.appendsPerSec} appends/s, p50 ${sequential.p50Ms} ms, p99 ${sequential.p99Ms} ms`,
    );

    // 2. 32 lanes appending at once: records queued during a sync share the next one.
    const lanes = 32;
    const concurrentCount = sequentialCount * 5;
    const syncsBefore = counter.syncs;
    let next = sequentialCount;
    started = performance.now();
    await Promise.all(
      Array.from({ length: lanes }, async () => {
        while (next < sequentialCount + concurrentCount) await journal.append(entry(next++));
      }),
    );
    const concurrentSeconds = (performance.now() - started) / 1000;
    const syncs = counter.syncs - syncsBefore;
    const concurrent = {
      lanes,
      records: concurrentCount,
      appendsPerSec: Math.round(concurrentCount / concurrentSeconds),
      recordsPerSync: Number((concurrentCount / syncs).toFixed(1)),
    };
    console.log(
      `${lanes} lanes (group commit): ${concurrent.appendsPerSec} appends/s, ${concurrent.recordsPerSync} records per fdatasync`,
    );
    await journal.close();

    // 3. Opening for append checks the whole last file (at most maxFileBytes, 4 MiB by default).
    started = performance.now();
    const reopened = await openJournal({ lock });
    const openMs = Math.round(performance.now() - started);
    await reopened.close();
    console.log(`open for append (checks the last file): ${openMs} ms`);

    // 4. Verify and export the whole journal (read-only, streaming).
    started = performance.now();
    const integrity = await verifyJournal(dataDir);
    const verifySeconds = (performance.now() - started) / 1000;
    if (!integrity.intact) throw new Error(`bench journal is not intact: ${integrity.firstBreak?.message}`);
    const verifyPerSec = Math.round(integrity.records / verifySeconds);
    console.log(`verify: ${integrity.records} records in ${verifySeconds.toFixed(2)} s (${verifyPerSec} records/s)`);

    started = performance.now();
    let bytes = 0;
    for await (const chunk of exportJournal(dataDir, { format: 'csv' })) bytes += chunk.length;
    const exportSeconds = (performance.now() - started) / 1000;
    const exportPerSec = Math.round(integrity.records / exportSeconds);
    console.log(
      `export csv: ${(bytes / 1024).toFixed(0)} KiB in ${exportSeconds.toFixed(2)} s (${exportPerSec} records/s)`,
    );
    console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);

    console.log(
      JSON.stringify({
        filesystem: filesystemOf(dataDir),
        sequential,
        concurrent,
        openMs,
        verifyRecordsPerSec: verifyPerSec,
        exportCsvRecordsPerSec: exportPerSec,
      }),
    );
  } finally {
    await journal.close();
    await lock.release();
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
