import { constants } from 'node:fs';
import { access, readdir, readFile, readlink, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** What the port doctor asks of the operating system; tests pass a fake. */
export interface SystemFacts {
  platform: NodeJS.Platform;
  /** Effective user id (undefined off POSIX). */
  uid: number | undefined;
  user: string;
  /** Names of the groups this process runs with. */
  groups(): Promise<string[]>;
  /** Name of a device node's group, when it can be read. */
  groupOf(file: string): Promise<string | undefined>;
  /** The errno of opening for read and write as this process would (EACCES, ENOENT), or undefined when allowed. */
  accessProblem(file: string): Promise<string | undefined>;
  /** Processes holding the device open (Linux /proc; only those this user may look at). */
  holders(realPath: string): Promise<Array<{ pid: number; command: string }>>;
  /** Whether ModemManager runs (Linux). */
  modemManager(): Promise<'running' | 'not-running' | 'unknown'>;
  readonly pid: number;
}

async function groupFile(): Promise<Array<{ name: string; gid: number }>> {
  const text = await readFile('/etc/group', 'utf8').catch(() => '');
  return text
    .split('\n')
    .map((line) => line.split(':'))
    .filter((parts) => parts.length >= 3 && parts[0])
    .map((parts) => ({ name: parts[0]!, gid: Number(parts[2]) }));
}

async function commandOf(pid: string): Promise<string> {
  const comm = await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '');
  return comm.trim() || 'unknown program';
}

async function processIds(): Promise<string[]> {
  return (await readdir('/proc').catch(() => [] as string[])).filter((name) => /^\d+$/.test(name));
}

function safeUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env['USER'] ?? 'user';
  }
}

export const systemFacts: SystemFacts = {
  platform: process.platform,
  uid: process.getuid?.(),
  user: safeUser(),
  pid: process.pid,
  async groups() {
    if (process.platform === 'win32' || !process.getgroups) return [];
    const table = await groupFile();
    return process.getgroups().map((gid) => table.find((entry) => entry.gid === gid)?.name ?? String(gid));
  },
  async groupOf(file) {
    const info = await stat(file).catch(() => undefined);
    if (!info) return undefined;
    return (await groupFile()).find((entry) => entry.gid === info.gid)?.name ?? String(info.gid);
  },
  async accessProblem(file) {
    try {
      await access(file, constants.R_OK | constants.W_OK);
      return undefined;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code ?? 'EIO';
    }
  },
  async holders(realPath) {
    if (process.platform !== 'linux') return [];
    const found: Array<{ pid: number; command: string }> = [];
    for (const pid of await processIds()) {
      const fds = await readdir(`/proc/${pid}/fd`).catch(() => [] as string[]);
      for (const fd of fds) {
        const target = await readlink(path.join('/proc', pid, 'fd', fd)).catch(() => undefined);
        if (target === realPath) {
          found.push({ pid: Number(pid), command: await commandOf(pid) });
          break;
        }
      }
      if (found.length >= 20) break;
    }
    return found;
  },
  async modemManager() {
    if (process.platform !== 'linux') return 'not-running';
    const pids = await processIds();
    if (pids.length === 0) return 'unknown';
    for (const pid of pids) if ((await commandOf(pid)) === 'ModemManager') return 'running';
    return 'not-running';
  },
};
