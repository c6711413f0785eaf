import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readJournalRecords } from '../provisioning/journal';
import { SecretRedactor } from '../security/secret-redactor';
import { JournalOwner } from './journal-owner';

describe('JournalOwner', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'keyline-owner-'));
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('stamps the work order a run was started under on its intent and outcome, and on nothing else', async () => {
    const owner = new JournalOwner({
      dataDir,
      redactor: new SecretRedactor(),
      command: 'test',
      workOrderOf: (runId) => (runId === 'run-a' ? 'WO-1' : undefined),
    });
    const port = owner.port();
    const intent = {
      time: new Date().toISOString(),
      station: 's',
      operator: 'o',
      applicationId: 'a'.repeat(24),
      port: '/dev/ttyUSB0',
      hwid: 'H1',
      deviceId: 'b'.repeat(24),
      verifyMode: 'device' as const,
      rotation: false,
    };
    await port.appendIntent({ ...intent, runId: 'run-a', keyName: 'keyline-run-a' });
    await port.appendIntent({ ...intent, runId: 'run-b', keyName: 'keyline-run-b' });
    await port.appendOutcome({
      runId: 'run-a',
      time: intent.time,
      station: 's',
      operator: 'o',
      port: '/dev/ttyUSB0',
      outcome: 'passed',
      steps: [],
      notes: [],
    });
    await port.appendCommitStarted('run-a');
    await owner.close();
    const records = [];
    for await (const { record } of readJournalRecords(dataDir)) records.push(record);
    const stamped = records
      .filter((record) => 'workOrder' in record && record.workOrder === 'WO-1')
      .map((record) => `${record.kind}`);
    expect(stamped).toEqual(['intent', 'outcome']);
    expect(records.find((record) => record.kind === 'intent' && record.runId === 'run-b')).not.toHaveProperty(
      'workOrder',
    );
  });

  it('takes the data-dir lock only when the first record comes, and says who holds it', async () => {
    const first = new JournalOwner({
      dataDir,
      redactor: new SecretRedactor(),
      command: 'first',
      workOrderOf: () => undefined,
    });
    const second = new JournalOwner({
      dataDir,
      redactor: new SecretRedactor(),
      command: 'second',
      workOrderOf: () => undefined,
    });
    await first.journal();
    await expect(second.journal()).rejects.toMatchObject({ code: 'DATA_DIR_LOCKED' });
    await first.close();
    await second.journal();
    await second.close();
  });
});
