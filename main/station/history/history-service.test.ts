import { appendFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openJournal, type Journal } from '../../provisioning/journal';
import { SecretRedactor } from '../../security/secret-redactor';
import { acquireDataDirLock, type DataDirLock } from '../../storage/data-dir-lock';
import { HistoryService } from './history-service';

const DEVICE = 'a'.repeat(24);
const KEY = 'b'.repeat(24);

describe('HistoryService', () => {
  let dataDir: string;
  let lock: DataDirLock;
  let journal: Journal;
  let redactor: SecretRedactor;

  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'keyline-history-'));
    lock = await acquireDataDirLock(dataDir, { command: 'history test' });
    journal = await openJournal({ lock });
    redactor = new SecretRedactor();
  });

  afterEach(async () => {
    await journal.close();
    await lock.release();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function attempt(runId: string, hwid: string, outcome: 'passed' | 'failed', extra: object = {}) {
    await journal.append({
      kind: 'intent',
      runId,
      action: 'provision',
      hwid,
      keyName: `keyline-${runId}`,
      operator: 'ann@example.com',
      workOrder: 'WO-7',
    });
    await journal.append({
      kind: 'outcome',
      runId,
      outcome,
      hwid,
      deviceId: DEVICE,
      ...(outcome === 'passed'
        ? { accessKeyId: KEY }
        : { error: { code: 'VERIFY_NO_NETWORK', message: 'The device has no network' } }),
      steps: [{ name: 'identify', status: 'passed', ms: 12 }],
      operator: 'ann@example.com',
      ...extra,
    });
  }

  it('answers one row per attempt, newest first, with the intent filling what the outcome lacks', async () => {
    await attempt('run-1', 'SIM-0001', 'passed');
    await attempt('run-2', 'SIM-0002', 'failed');
    await journal.append({
      kind: 'intent',
      runId: 'run-3',
      action: 'rotate',
      hwid: 'SIM-0003',
      keyName: 'keyline-run-3',
    });
    const service = new HistoryService({ dataDir, redactor });
    const { rows, total, counts } = await service.list({});
    expect(total).toBe(3);
    expect(rows.map((row) => [row.runId, row.outcome])).toEqual([
      ['run-3', 'unfinished'],
      ['run-2', 'failed'],
      ['run-1', 'passed'],
    ]);
    expect(rows[1]).toMatchObject({ workOrder: 'WO-7', error: { code: 'VERIFY_NO_NETWORK' }, integrity: 'ok' });
    expect(counts).toMatchObject({ all: 3, passed: 1, failed: 1, unfinished: 1 });
  });

  it('searches every word across the row, filters by outcome and pages', async () => {
    for (let index = 0; index < 7; index += 1)
      await attempt(`run-${index}`, `SIM-${index}`, index % 2 ? 'failed' : 'passed');
    const service = new HistoryService({ dataDir, redactor });
    expect((await service.list({ search: 'sim-3 network' })).rows.map((row) => row.runId)).toEqual(['run-3']);
    expect((await service.list({ search: 'sim-4 network' })).total).toBe(0);
    expect((await service.list({ outcome: 'failed' })).total).toBe(3);
    const page = await service.list({ offset: 2, limit: 2 });
    expect(page.rows.map((row) => row.runId)).toEqual(['run-4', 'run-3']);
    expect(page.total).toBe(7);
    await expect(service.list({ since: 'yesterday-ish' })).rejects.toMatchObject({ code: 'HISTORY_BAD_QUERY' });
  });

  it('sees a record appended after the first list', async () => {
    const service = new HistoryService({ dataDir, redactor });
    await attempt('run-1', 'SIM-1', 'passed');
    expect((await service.list({})).total).toBe(1);
    await attempt('run-2', 'SIM-2', 'passed');
    expect((await service.list({})).total).toBe(2);
  });

  it('reports an intact chain, then the first break after a line is damaged', async () => {
    const service = new HistoryService({ dataDir, redactor });
    await attempt('run-1', 'SIM-1', 'passed');
    expect(await service.integrity()).toMatchObject({ status: 'intact', breaks: 0 });
    const [file] = (await readdir(path.join(dataDir, 'journal'))).filter((name) => name.endsWith('.jsonl'));
    await appendFile(path.join(dataDir, 'journal', file!), 'this is not a record\n');
    const damaged = await service.integrity();
    expect(damaged.status).toBe('damaged');
    expect(damaged.firstBreak?.kind).toBe('not-json');
    expect(damaged.firstBreak?.message).toContain('is not JSON');
  });

  it('says the journal is empty before the first attempt', async () => {
    const empty = await mkdtemp(path.join(tmpdir(), 'keyline-history-empty-'));
    try {
      const service = new HistoryService({ dataDir: empty, redactor });
      expect((await service.integrity()).status).toBe('empty');
      expect((await service.list({})).total).toBe(0);
      expect(await service.export('csv')).toMatchObject({ delivery: 'download', text: '' });
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('exports CSV as text for the web host, and to the picked file in the app', async () => {
    await attempt('run-1', 'SIM-1', 'passed');
    const service = new HistoryService({ dataDir, redactor, now: () => new Date('2026-01-02T03:04:05Z') });
    const text = await service.export('csv');
    expect(text).toMatchObject({ delivery: 'download', fileName: 'keyline-journal-2026-01-02T03-04-05.csv' });
    expect(text.delivery === 'download' && text.text.split('\r\n')[0]).toContain('date,operator,station,work order');
    expect(text.delivery === 'download' && text.text).toContain('SIM-1');
    const target = path.join(dataDir, 'export.csv');
    const saved = await service.export('csv', async () => target);
    expect(saved).toMatchObject({ delivery: 'saved', path: target });
    expect(await service.export('csv', async () => undefined)).toEqual({ delivery: 'cancelled' });
  });

  it('refuses an export that would carry a secret the station holds', async () => {
    await attempt('run-1', 'SIM-SECRETLOOKING', 'passed');
    redactor.add('SIM-SECRETLOOKING');
    const service = new HistoryService({ dataDir, redactor });
    await expect(service.export('csv')).rejects.toMatchObject({ code: 'HISTORY_EXPORT_REFUSED' });
  });
});
