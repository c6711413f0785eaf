import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SecretRedactor } from '../../../main/security/secret-redactor';
import { Evidence } from './harness';

describe('the token scan the sign-in tests end with', () => {
  it('finds a token in a nested file of a data folder and in a log line', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'keyline-scan-'));
    try {
      const evidence = new Evidence();
      evidence.dataDirs.push(dir);
      evidence.record('planted-refresh-token-1234');
      expect(await evidence.leaks()).toEqual([]);
      await mkdir(path.join(dir, 'locks'));
      await writeFile(path.join(dir, 'locks', 'x.lock'), 'holder planted-refresh-token-1234');
      expect(await evidence.leaks()).toEqual(['plante…']);

      const logs = new Evidence();
      logs.record('planted-access-token-5678');
      logs.logger(new SecretRedactor()).info({ note: 'planted-access-token-5678' }, 'oops');
      expect(await logs.leaks()).toEqual(['plante…']);
      // The station's redactor, knowing the token, keeps it out.
      const redactor = new SecretRedactor();
      redactor.add('planted-access-token-5678');
      const clean = new Evidence();
      clean.record('planted-access-token-5678');
      clean.logger(redactor).info({ note: 'planted-access-token-5678' }, 'oops');
      expect(await clean.leaks()).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
