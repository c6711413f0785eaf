import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

export interface StartedProcess {
  readonly child: ChildProcess;
  /** The match of `ready` in the process output. */
  readonly ready: RegExpMatchArray;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  /** SIGTERM, then SIGKILL after a grace period; resolves when the process is gone. */
  stop(): Promise<void>;
}

/**
 * Starts a long-lived helper process (simulator, web host) and waits until its output matches
 * `ready`. Rejects with the output so far if it exits or times out first. Callers must stop it.
 */
export function startProcess(
  command: string,
  args: string[],
  options: { ready: RegExp; timeoutMs?: number; env?: NodeJS.ProcessEnv; cwd?: string } & Pick<SpawnOptions, 'stdio'>,
): Promise<StartedProcess> {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
      child.once('exit', () => {
        clearTimeout(killer);
        resolve();
      });
      child.kill('SIGTERM');
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`${command} not ready after ${options.timeoutMs ?? 20000} ms:\n${output}`));
    }, options.timeoutMs ?? 20000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = output.match(options.ready);
      if (match) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.stdout?.on('data', (more: Buffer) => (output += more.toString()));
        resolve({ child, ready: match, output: () => output, stop });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited with ${code} before it was ready:\n${output}`));
    });
  });
}
