import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportJournal, verifyJournal, type ExportOptions } from '../../../main/provisioning/journal';
import { writeScenario } from './scenario';

const GOLDEN = path.join(__dirname, 'golden');
let dataDir: string;

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'keyline-export-'));
  await writeScenario(dataDir);
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

async function collect(options: ExportOptions): Promise<string> {
  let text = '';
  for await (const chunk of exportJournal(dataDir, options)) text += chunk;
  return text;
}

/** Compares with the golden file; `UPDATE_GOLDEN=1` rewrites it (review the diff before committing). */
async function expectGolden(name: string, actual: string): Promise<void> {
  const file = path.join(GOLDEN, name);
  if (process.env['UPDATE_GOLDEN'] === '1') await writeFile(file, actual);
  expect(actual).toBe(await readFile(file, 'utf8'));
}

describe('journal export', () => {
  it('writes one CSV row per attempt, spreadsheet-safe (golden)', async () => {
    const csv = await collect({ format: 'csv' });
    await expectGolden('export.csv', csv);
    expect(csv).toContain(`"'=HYPERLINK(""http://evil"")`);
    expect(csv).toContain(`,'-1+2,`);
    expect(csv.split('\r\n').filter(Boolean)).toHaveLength(1 + 6);
  });

  it('writes every record byte for byte as JSON Lines, which verify on their own (golden)', async () => {
    const jsonl = await collect({ format: 'jsonl' });
    await expectGolden('export.jsonl', jsonl);
    const stored = await readFile(path.join(dataDir, 'journal', 'journal-000001.jsonl'), 'utf8');
    expect(jsonl).toBe(stored);
    const integrity = await verifyJournal(dataDir);
    expect(integrity).toMatchObject({ intact: true, records: 11 });
  });

  it('exports only what was written since a time', async () => {
    const csv = await collect({ format: 'csv', since: new Date('2025-03-04T09:00:12.000Z') });
    const rows = csv.split('\r\n').filter(Boolean);
    expect(rows.slice(1).map((row) => /,(r-\d{4}),/.exec(row)?.[1])).toEqual(['r-0003', 'r-0004', 'r-0004', 'r-0005']);
    const jsonl = await collect({ format: 'jsonl', since: new Date('2025-03-04T09:00:15.000Z') });
    expect(
      jsonl
        .split('\n')
        .filter(Boolean)
        .map((line) => (JSON.parse(line) as { seq: number }).seq),
    ).toEqual([9, 10, 11]);
  });

  it('streams a large journal in bounded chunks', async () => {
    const chunks: number[] = [];
    for await (const chunk of exportJournal(dataDir, { format: 'jsonl' })) chunks.push(chunk.length);
    expect(chunks.length).toBeGreaterThan(0);
    expect(Math.max(...chunks)).toBeLessThan(128 * 1024);
  });
});
