import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli/keyline';
import type { StartedProcess } from '../../helpers/process';
import { writeScenario } from './scenario';
import { runKeyline, startChild } from './support';

let dataDir: string;
const started: StartedProcess[] = [];
const journalFile = () => path.join(dataDir, 'journal', 'journal-000001.jsonl');

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'keyline-cli-'));
  await writeScenario(dataDir);
});
afterEach(async () => {
  await Promise.all(started.splice(0).map((child) => child.stop()));
  await rm(dataDir, { recursive: true, force: true });
});

/** The CLI in this process, with captured output. */
async function cli(argv: string[], env: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    env,
    stdin: process.stdin,
    isTTY: false,
  });
  return { code, stdout, stderr };
}

describe('keyline journal verify', () => {
  it('exits 0 for an intact journal and names the last record', async () => {
    const result = await cli(['journal', 'verify', '--data-dir', dataDir]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain('intact. 11 records in 1 file, last seq 11');
  });

  it('exits 1 for a changed record and explains the first break (also as JSON)', async () => {
    const text = await readFile(journalFile(), 'utf8');
    await writeFile(journalFile(), text.replace('"durationMs":911', '"durationMs":119'));
    const human = await cli(['journal', 'verify', '--data-dir', dataDir]);
    expect(human.code).toBe(1);
    expect(human.stdout).toContain('DAMAGED');
    expect(human.stdout).toMatch(/First break: journal-000001\.jsonl line 6 \(seq 6\) does not match its hash/);
    expect(human.stdout).toContain('5 records verify before it (last good seq 5)');
    const json = await cli(['journal', 'verify', '--data-dir', dataDir, '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ intact: false, firstBreak: { kind: 'bad-hash', line: 6 } });
  });

  it('finds the data dir in KEYLINE_DATA_DIR and says when there is no journal there', async () => {
    expect((await cli(['journal', 'verify'], { KEYLINE_DATA_DIR: dataDir })).code).toBe(0);
    const missing = await cli(['journal', 'verify'], { KEYLINE_DATA_DIR: path.join(dataDir, 'nope') });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('No journal in');
    expect(missing.stderr).toContain('[JOURNAL_NOT_FOUND]');
  });

  it('rejects unknown flags and subcommands with the usage (exit 2)', async () => {
    const flag = await cli(['journal', 'verify', '--bogus']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('usage: keyline journal verify');
    expect((await cli(['journal', 'rewrite'])).code).toBe(2);
    expect((await cli(['journal', 'export', '--format', 'xml', '--data-dir', dataDir])).code).toBe(2);
    expect((await cli(['journal', 'export', '--since', 'yesterday', '--data-dir', dataDir])).code).toBe(2);
  });
});

describe('keyline journal export', () => {
  it('prints CSV to stdout by default and writes JSON Lines to --out', async () => {
    const csv = await cli(['journal', 'export', '--data-dir', dataDir]);
    expect(csv.code).toBe(0);
    expect(csv.stdout).toBe(await readFile(path.join(__dirname, 'golden', 'export.csv'), 'utf8'));
    const out = path.join(dataDir, 'export.jsonl');
    const jsonl = await cli(['journal', 'export', '--format', 'jsonl', '--out', out, '--data-dir', dataDir]);
    expect(jsonl).toMatchObject({ code: 0, stdout: '' });
    expect(await readFile(out, 'utf8')).toBe(await readFile(journalFile(), 'utf8'));
  });

  it('exports what it can read from a damaged journal, warns, and exits 1', async () => {
    const size = (await readFile(journalFile())).length;
    await truncate(journalFile(), size - 25);
    const result = await cli(['journal', 'export', '--data-dir', dataDir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('[truncated-line]');
    expect(result.stdout.split('\r\n').filter(Boolean)).toHaveLength(6);
  });
});

describe('the keyline process', () => {
  it('verifies and exports while another process holds the data dir (no lock needed), with real exit codes', async () => {
    const holder = await startChild(['hold', dataDir, 'keyline provision'], /locked \d+/);
    started.push(holder);
    const verify = await runKeyline(['journal', 'verify', '--data-dir', dataDir]);
    expect(verify.code, verify.stderr).toBe(0);
    const exported = await runKeyline(['journal', 'export', '--format', 'jsonl'], { KEYLINE_DATA_DIR: dataDir });
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toBe(await readFile(journalFile(), 'utf8'));

    const size = (await readFile(journalFile())).length;
    await truncate(journalFile(), size - 25);
    const damaged = await runKeyline(['journal', 'verify', '--data-dir', dataDir]);
    expect(damaged.code).toBe(1);
    expect(damaged.stdout).toContain('truncated-line');
    expect(damaged.stdout).toContain('in use (held by keyline provision');
  });
});
