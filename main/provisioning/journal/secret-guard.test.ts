import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SecretRedactor } from '../../security/secret-redactor';
import { acquireDataDirLock, type DataDirLock } from '../../storage/data-dir-lock';
import { journalDir } from './journal-files';
import { openJournal, type Journal } from './journal-writer';
import type { JournalEntryInput } from './record-schema';
import { assertNoSecret, isSecretFieldName, secretCheckFromRedactor } from './secret-guard';

const SECRET = 'k3yl1ne-s3cr3t-0f-the-access-key-9f8e7d';

describe('isSecretFieldName', () => {
  it('flags names that mean a secret and lets ids through', () => {
    for (const name of [
      'secret',
      'accessSecret',
      'token',
      'refresh_token',
      'password',
      'apiKey',
      'privateKey',
      'Authorization',
    ]) {
      expect(isSecretFieldName(name), name).toBe(true);
    }
    for (const name of ['accessKeyId', 'keyName', 'deviceId', 'hwid', 'fingerprintPrefix', 'previousAccessKeyId']) {
      expect(isSecretFieldName(name), name).toBe(false);
    }
  });
});

describe('assertNoSecret', () => {
  const redactor = new SecretRedactor();
  redactor.add(SECRET);
  const isSecret = secretCheckFromRedactor(redactor);

  it('refuses a held secret in any encoding, in any nested string, without quoting it', () => {
    const forms = [
      SECRET,
      `prefix ${SECRET} suffix`,
      Buffer.from(SECRET).toString('hex'),
      Buffer.from(SECRET).toString('base64'),
    ];
    for (const form of forms) {
      const attempt = () => assertNoSecret({ kind: 'step', detail: { note: form } }, isSecret);
      expect(attempt).toThrow(expect.objectContaining({ code: 'JOURNAL_SECRET_REFUSED' }) as unknown as Error);
      try {
        attempt();
      } catch (error) {
        expect((error as Error).message).toContain('detail.note');
        expect((error as Error).message).not.toContain(form);
      }
    }
  });

  it('refuses bearer JWTs even when the station does not hold them', () => {
    const jwt = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJkZXZpY2UiLCJpYXQiOjF9.c2lnbmF0dXJl';
    expect(() => assertNoSecret({ error: { message: `got ${jwt}` } }, undefined)).toThrow(/bearer token/);
  });

  it('lets ordinary records through', () => {
    expect(() =>
      assertNoSecret(
        { kind: 'outcome', runId: 'r1', accessKeyId: 'a'.repeat(24), steps: [{ name: 'mint' }] },
        isSecret,
      ),
    ).not.toThrow();
  });
});

describe('the journal refuses secrets', () => {
  let dataDir: string;
  let lock: DataDirLock;
  let journal: Journal;
  const redactor = new SecretRedactor();

  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'keyline-journal-secret-'));
    lock = await acquireDataDirLock(dataDir, { command: 'keyline test' });
    journal = await openJournal({ lock, isSecret: secretCheckFromRedactor(redactor) });
  });
  afterEach(async () => {
    await journal.close();
    await lock.release();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('throws JOURNAL_SECRET_REFUSED and writes nothing, whether by field name or by value', async () => {
    const release = redactor.add(SECRET);
    const base: JournalEntryInput = { kind: 'step', runId: 'run-1', step: 'stage', status: 'passed' };
    const attempts = [
      { ...base, secret: SECRET },
      { ...base, token: 'x' },
      { ...base, detail: { accessSecret: 'whatever' } },
      { ...base, detail: { note: SECRET } },
      { ...base, error: { code: 'SERIAL_TIMEOUT', message: `device echoed ${SECRET}` } },
    ];
    for (const attempt of attempts) {
      await expect(journal.append(attempt as JournalEntryInput)).rejects.toMatchObject({
        code: 'JOURNAL_SECRET_REFUSED',
      });
    }
    release();
    // Once the station let go of the secret, the same text is just text to the guard; the point
    // is that while it is held, it cannot reach the disk.
    await journal.append(base);
    const files = await readdir(journalDir(dataDir));
    for (const name of files) {
      const content = await readFile(path.join(journalDir(dataDir), name), 'utf8');
      expect(content).not.toContain(SECRET);
      expect(content).not.toContain(Buffer.from(SECRET).toString('hex'));
    }
  });
});
