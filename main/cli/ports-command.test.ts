import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './keyline';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'keyline-ports-cli-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function cli(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    env: {},
    stdin: new PassThrough(),
    isTTY: false,
  });
  return { code, stdout, stderr };
}

describe('keyline ports', () => {
  it('lists a port the user added, with its lane key, and says why a missing one is left out', async () => {
    const tty = path.join(dir, 'bench-tty');
    await writeFile(tty, '');
    const text = await cli(['ports', '--add', tty, '--add', path.join(dir, 'gone')]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`${tty} -> ${tty}  user  lane path:${tty}`);
    expect(text.stdout).toContain(`left out ${path.join(dir, 'gone')}: added by the user, but it does not exist`);
    const json = await cli(['ports', '--json', '--dir', dir]);
    expect(JSON.parse(json.stdout)).toMatchObject({ ports: [{ path: tty, source: 'user' }] });
  });

  it('refuses an unknown flag with the usage line', async () => {
    const result = await cli(['ports', '--bogus']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('usage: keyline ports');
  });
});
