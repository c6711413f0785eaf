import { spawn } from 'node:child_process';
import path from 'node:path';
import { startProcess, type StartedProcess } from '../../helpers/process';

export const ROOT = path.resolve(__dirname, '../../..');
const CHILD = path.join(__dirname, 'fixtures', 'journal-child.ts');
const CLI = path.join(ROOT, 'main', 'cli', 'cli-entry.ts');

/** Starts the fixture process (TypeScript through tsx) and waits for its ready line. */
export function startChild(args: string[], ready: RegExp): Promise<StartedProcess> {
  return startProcess(process.execPath, ['--import', 'tsx', CHILD, ...args], { ready, cwd: ROOT, timeoutMs: 30_000 });
}

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs a process to its end and collects its output. */
export function runToEnd(args: string[], env: NodeJS.ProcessEnv = {}, command = CHILD): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', command, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Runs the real `keyline` CLI entry as its own process. */
export function runKeyline(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Finished> {
  return runToEnd(args, env, CLI);
}

/** SIGKILL, and resolve once the process is gone. */
export function kill(started: StartedProcess): Promise<void> {
  return new Promise((resolve) => {
    if (started.child.exitCode !== null || started.child.signalCode !== null) return resolve();
    started.child.once('exit', () => resolve());
    started.child.kill('SIGKILL');
  });
}
