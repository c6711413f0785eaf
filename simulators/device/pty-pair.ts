import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { lstat, rm } from 'node:fs/promises';

export interface PtyPair {
  /** The station's end: a symlink to a /dev/pts/N, where a USB adapter's tty would be. */
  readonly stationLink: string;
  /** The firmware's end. */
  readonly deviceLink: string;
  readonly process: ChildProcess;
  /** Ends socat: both links disappear and the station's open port sees its device gone. */
  close(): Promise<void>;
}

const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((candidate) => {
  try {
    accessSync(candidate, constants.X_OK);
    return true;
  } catch {
    return false;
  }
});

/** socat processes of this process: if it ends without closing them (process.exit, an uncaught error), they go too. */
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGTERM');
});

/**
 * Starts `socat -d -d pty,raw,echo=0,link=A pty,raw,echo=0,link=B` and waits until both links
 * exist. socat removes the links when it ends.
 */
export async function startPtyPair(stationLink: string, deviceLink: string, timeoutMs = 10000): Promise<PtyPair> {
  for (const link of [stationLink, deviceLink]) {
    // A link left by a killed socat would make the new one fail.
    const existing = await lstat(link).catch(() => undefined);
    if (existing?.isSymbolicLink()) await rm(link, { force: true });
  }
  const socat = ['socat', '-d', '-d', `pty,raw,echo=0,link=${stationLink}`, `pty,raw,echo=0,link=${deviceLink}`];
  // setpriv (util-linux) makes the kernel end socat when this process dies, even by SIGKILL.
  const command = SETPRIV ? [SETPRIV, '--pdeathsig', 'TERM', '--', ...socat] : socat;
  const child = spawn(command[0]!, command.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    if (output.length < 8192) output += chunk.toString();
  });
  const close = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const killer = setTimeout(() => child.kill('SIGKILL'), 2000);
      child.once('exit', () => {
        clearTimeout(killer);
        resolve();
      });
      child.kill('SIGTERM');
    });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      void close();
      reject(new Error(`socat did not start within ${timeoutMs} ms: ${output}`));
    }, timeoutMs);
    const onEarlyExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`socat exited with ${code ?? 'a signal'}: ${output}`));
    };
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot run socat (install it: apt-get install socat): ${error.message}`));
    });
    child.once('exit', onEarlyExit);
    const check = () => {
      if (/starting data transfer loop/.test(output)) {
        clearTimeout(timer);
        child.off('exit', onEarlyExit);
        resolve();
      } else setTimeout(check, 5);
    };
    check();
  });
  return { stationLink, deviceLink, process: child, close };
}
