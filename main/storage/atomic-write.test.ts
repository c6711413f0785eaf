import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from './atomic-write';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'keyline-atomic-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  it('replaces the file and leaves no temporary behind', async () => {
    const file = path.join(dir, 'nested', 'profiles.json');
    await writeFileAtomic(file, '{"a":1}');
    await writeFileAtomic(file, '{"a":2}');
    expect(await readFile(file, 'utf8')).toBe('{"a":2}');
    expect(await readdir(path.dirname(file))).toEqual(['profiles.json']);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('fails with a typed error and keeps the old content when it cannot write', async () => {
    const file = path.join(dir, 'missing-parent-is-a-file');
    await writeFileAtomic(file, 'old');
    await expect(writeFileAtomic(path.join(file, 'child.json'), 'new')).rejects.toMatchObject({
      code: 'STORAGE_WRITE_FAILED',
    });
    expect(await readFile(file, 'utf8')).toBe('old');
  });
});
