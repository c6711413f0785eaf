import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { runCli } from '../../../main/cli/keyline';
import { exportJournal, unfinishedIntents } from '../../../main/provisioning/journal';
import { startDeviceFarm, type DeviceFarm, type DeviceFarmOptions } from '../../../simulators/device';
import { startPlatformSimulator, type RunningPlatformSimulator, type SeedInfo } from '../../../simulators/platform';
import { startRecordingProxy, type RecordingProxy } from './recording-proxy';

export const ROOT = path.resolve(__dirname, '..', '..', '..');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** The `--json` lines, parsed. */
  lines: DeviceLine[];
}

export interface DeviceLine {
  port: string;
  hwid: string | null;
  deviceId: string | null;
  keyId: string | null;
  outcome: 'passed' | 'failed' | 'skipped';
  unresolved?: boolean;
  error?: { code: string; message: string };
  ms: number;
  runId: string | null;
  rotation?: boolean;
  devicePathProven?: boolean;
  notes?: string[];
}

export interface PlatformKey {
  id: string;
  key: string;
  name?: string;
  status: 'active' | 'inactive';
  deviceIds?: string[];
  deviceTags?: unknown[];
}

/** The platform simulator behind a recording proxy; one per test file, reset between tests. */
export interface Platform {
  sim: RunningPlatformSimulator;
  proxy: RecordingProxy;
  seed: SeedInfo;
  /** The API URL the station and the devices use (the proxy). */
  url: string;
  api<T = unknown>(method: string, route: string, body?: unknown): Promise<{ status: number; body: T }>;
  keys(): Promise<PlatformKey[]>;
  fault(spec: Record<string, unknown>): Promise<void>;
  reset(): Promise<void>;
  close(): Promise<void>;
}

export async function startPlatform(): Promise<Platform> {
  const sim = await startPlatformSimulator({ port: 0 });
  const proxy = await startRecordingProxy(sim.url);
  let seed = sim.seed;
  proxy.secrets.add(seed.apiToken);
  const api = async <T>(method: string, route: string, body?: unknown) => {
    const answer = await fetch(`${sim.url}${route}`, {
      method,
      headers: {
        authorization: `Bearer ${seed.apiToken}`,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await answer.text();
    return { status: answer.status, body: (text ? JSON.parse(text) : undefined) as T };
  };
  return {
    sim,
    proxy,
    get seed() {
      return seed;
    },
    url: proxy.url,
    api,
    async keys() {
      const all: PlatformKey[] = [];
      for (let page = 0; ; page += 1) {
        const { body } = await api<{ items: PlatformKey[] }>(
          'GET',
          `/applications/${seed.applicationId}/keys?perPage=1000&page=${page}`,
        );
        all.push(...body.items);
        if (body.items.length < 1000) return all;
      }
    },
    async fault(spec) {
      const { status } = await api('POST', '/__sim/faults', spec);
      if (status >= 300) throw new Error(`fault refused: ${status}`);
    },
    async reset() {
      seed = await sim.reset();
      proxy.secrets.add(seed.apiToken);
    },
    async close() {
      await proxy.close();
      await sim.close();
    },
  };
}

export interface PipelineBenchOptions {
  /** Also expect, after each test, no intent left unfinished in the bench's journal. */
  noUnfinishedIntents?: boolean;
}

export interface PipelineBench {
  /** The file's platform (started in beforeAll, reset after each test); use it inside tests and hooks. */
  platform: Platform;
  /** A bench on the file's platform, checked and closed after the test; one per test. */
  startBench(count: number, options?: DeviceFarmOptions): Promise<Bench>;
}

/**
 * Registers the hooks of a provisioning test file: one platform for the file, reset after each
 * test, and after each test that started a bench, DESIGN.md §3: the active keys named by runs are
 * the committed ones, and no secret is anywhere the station wrote or printed. Platform faults are
 * cleared first so the check itself reads the platform.
 */
export function usePipelineBench(options: PipelineBenchOptions = {}): PipelineBench {
  let started: Platform | undefined;
  let bench: Bench | undefined;
  const current = (): Platform => {
    if (!started) throw new Error('the platform is started in beforeAll: use it inside tests and hooks');
    return started;
  };
  beforeAll(async () => {
    started = await startPlatform();
  });
  afterAll(async () => {
    await started?.close();
  });
  afterEach(async () => {
    const platform = current();
    try {
      await platform.api('DELETE', '/__sim/faults');
      if (bench) {
        const { active, committed } = await bench.keylineKeys();
        expect(active).toEqual(committed);
        expect(await findSecrets(bench)).toEqual([]);
        if (options.noUnfinishedIntents) expect(await unfinishedIntents(bench.dataDir)).toEqual([]);
      }
    } finally {
      await bench?.close();
      bench = undefined;
      await platform.reset();
    }
  });
  const platform: Platform = {
    get sim() {
      return current().sim;
    },
    get proxy() {
      return current().proxy;
    },
    get seed() {
      return current().seed;
    },
    get url() {
      return current().url;
    },
    api<T = unknown>(method: string, route: string, body?: unknown) {
      return current().api<T>(method, route, body);
    },
    keys: () => current().keys(),
    fault: (spec) => current().fault(spec),
    reset: () => current().reset(),
    close: () => current().close(),
  };
  return {
    platform,
    async startBench(count, farmOptions) {
      if (bench) throw new Error('one bench per test: the afterEach checks and closes it');
      bench = await startBench(current(), count, farmOptions);
      return bench;
    },
  };
}

export interface Bench {
  platform: Platform;
  farm: DeviceFarm;
  dataDir: string;
  ports: string[];
  outputs: string[];
  /** `keyline provision` in this process, with KEYLINE_TOKEN; output captured. */
  provision(args?: string[], options?: { env?: NodeJS.ProcessEnv; ports?: string[] }): Promise<CliRun>;
  /** Active keys named by Keyline's runs, and the key ids the farm's devices run on. */
  keylineKeys(): Promise<{ active: string[]; committed: string[] }>;
  close(): Promise<void>;
}

export async function startBench(platform: Platform, count: number, options: DeviceFarmOptions = {}): Promise<Bench> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'keyline-provision-'));
  const farm = await startDeviceFarm(count, { bootMs: 50, chatterMs: 0, flashWriteMs: 5, ...options });
  await Promise.all(farm.devices.map((device) => device.whenReady()));
  const outputs: string[] = [];
  const ports = farm.devices.map((device) => device.link);
  return {
    platform,
    farm,
    dataDir,
    ports,
    outputs,
    async provision(args = [], runOptions = {}) {
      const run = await provisionInProcess(
        [
          '--api',
          platform.url,
          '--app',
          platform.seed.applicationId,
          ...(runOptions.ports ?? ports).flatMap((port) => ['--port', port]),
          '--json',
          '--data-dir',
          dataDir,
          ...args,
        ],
        { KEYLINE_TOKEN: platform.seed.apiToken, ...runOptions.env },
      );
      outputs.push(run.stdout, run.stderr);
      return run;
    },
    async keylineKeys() {
      const keys = await platform.keys();
      const active = keys
        .filter((key) => key.status === 'active' && key.name?.startsWith('keyline-'))
        .map((key) => key.id);
      const committed = farm.devices
        .map((device) => device.state().slots.active?.keyId)
        .filter(
          (id): id is string =>
            typeof id === 'string' && keys.some((key) => key.id === id && key.name?.startsWith('keyline-')),
        );
      return { active: active.sort(), committed: committed.sort() };
    },
    async close() {
      await farm.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export async function provisionInProcess(argv: string[], env: NodeJS.ProcessEnv): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(['provision', ...argv], {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    env,
    stdin: new PassThrough(),
    isTTY: false,
  });
  return { code, stdout, stderr, lines: parseLines(stdout) };
}

export function parseLines(stdout: string): DeviceLine[] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as DeviceLine);
}

/** `keyline provision` as its own process (for SIGKILL tests): tsx over the sources. */
export function spawnProvision(argv: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(ROOT, 'main/cli/cli-entry.ts'), 'provision', ...argv],
    {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    output: () => ({ stdout, stderr }),
    exited,
  };
}

/** Every file under `dir`, as text. */
export async function filesUnder(dir: string): Promise<Array<{ file: string; text: string }>> {
  const found: Array<{ file: string; text: string }> = [];
  const walk = async (current: string) => {
    let entries;
    try {
      entries = await readdir(current, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if ((await stat(full)).isFile()) found.push({ file: full, text: await readFile(full, 'latin1') });
    }
  };
  await walk(dir);
  return found;
}

function forms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  return [secret, bytes.toString('hex'), bytes.toString('base64').replace(/=+$/, ''), bytes.toString('base64url')];
}

/**
 * DESIGN.md §3: no secret in the data dir, the journal exports or anything printed. Answers the
 * places a secret (raw, hex or base64) was found; the test expects none.
 */
export async function findSecrets(bench: Bench, extra: string[] = []): Promise<string[]> {
  const secrets = [...bench.platform.proxy.secrets];
  if (secrets.length === 0) throw new Error('the proxy saw no secret: the scan would prove nothing');
  const places: Array<{ name: string; text: string }> = [
    ...(await filesUnder(bench.dataDir)).map(({ file, text }) => ({ name: file, text })),
    ...bench.outputs.map((text, index) => ({ name: `output #${index}`, text })),
    ...extra.map((text, index) => ({ name: `extra #${index}`, text })),
  ];
  const hasJournal = (await filesUnder(path.join(bench.dataDir, 'journal'))).length > 0;
  for (const format of hasJournal ? (['csv', 'jsonl'] as const) : []) {
    let text = '';
    for await (const chunk of exportJournal(bench.dataDir, { format })) text += chunk;
    places.push({ name: `journal export ${format}`, text });
  }
  const found: string[] = [];
  for (const { name, text } of places) {
    for (const secret of secrets) if (forms(secret).some((form) => text.includes(form))) found.push(name);
  }
  return found;
}
