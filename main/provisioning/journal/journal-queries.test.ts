import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireDataDirLock, type DataDirLock } from '../../storage/data-dir-lock';
import { unfinishedIntents, unresolvedRuns } from './journal-queries';
import { openJournal, type Journal } from './journal-writer';

let dataDir: string;
let lock: DataDirLock;
let journal: Journal;
const KEY = 'b'.repeat(24);

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'keyline-queries-'));
  lock = await acquireDataDirLock(dataDir, { command: 'keyline test' });
  journal = await openJournal({ lock });
});
afterEach(async () => {
  await journal.close();
  await lock.release();
  await rm(dataDir, { recursive: true, force: true });
});

const intent = (runId: string) =>
  journal.append({ kind: 'intent', runId, action: 'provision', hwid: `HW-${runId}`, keyName: `keyline-${runId}` });

describe('unfinishedIntents', () => {
  it('lists intents with no outcome and no settling reconcile, with their steps', async () => {
    await intent('done');
    await journal.append({ kind: 'outcome', runId: 'done', outcome: 'passed' });
    await intent('crashed');
    await journal.append({ kind: 'step', runId: 'crashed', step: 'mint', status: 'passed', accessKeyId: KEY });
    await journal.append({ kind: 'step', runId: 'crashed', step: 'stage', status: 'started' });
    await intent('recovered');
    await journal.append({
      kind: 'reconcile',
      runId: 'recovered',
      action: 'revoked-key',
      reason: 'not committed',
      outcome: 'reconciled',
    });
    await intent('retry');
    await journal.append({
      kind: 'reconcile',
      runId: 'retry',
      action: 'lookup-failed',
      reason: 'platform unavailable',
    });

    const open = await unfinishedIntents(dataDir);
    expect(open.map((entry) => entry.intent.runId)).toEqual(['crashed', 'retry']);
    expect(open[0]?.steps.map((step) => [step.step, step.status])).toEqual([
      ['mint', 'passed'],
      ['stage', 'started'],
    ]);
    expect(open[0]?.steps[0]?.accessKeyId).toBe(KEY);
    expect(open[1]?.reconciles).toHaveLength(1);
  });
});

describe('unresolvedRuns', () => {
  it('lists runs whose last word is unresolved until a person settles them', async () => {
    await intent('lost-commit');
    await journal.append({ kind: 'outcome', runId: 'lost-commit', outcome: 'unresolved', accessKeyId: KEY });
    await intent('other');
    await journal.append({ kind: 'outcome', runId: 'other', outcome: 'unresolved' });
    await journal.append({
      kind: 'reconcile',
      runId: 'other',
      action: 'settled-by-person',
      reason: 'device checked',
      outcome: 'reconciled',
    });
    const runs = await unresolvedRuns(dataDir);
    expect(runs.map((run) => run.runId)).toEqual(['lost-commit']);
  });
});
