/**
 * `npm run bench`: provisions simulated devices over real pseudo-terminals against the platform
 * simulator at 1, 8 and 32 lanes (DESIGN.md §5) and prints per-device latency (p50/p95) split into
 * station, device and platform time, throughput, parallel efficiency and the station's peak RSS.
 * The platform simulator and the device farm run in their own processes, so the figures are the
 * station's own; the CPU each process used is printed too, to show who holds the cores. Lane
 * events go through the contract's EventHub (the payload check) and are serialised as the web
 * host would, and device lines go to the app's logger, as in the app. The last line is one JSON
 * array of the figures per lane count.
 *
 *   npm run bench [-- --lanes 1,8,32] [--rounds 8,3,2] [--baud 115200] [--bundled] [--cpu-prof DIR]
 *
 * --bundled runs the station from an esbuild bundle (as scripts/build.mjs builds the app), not
 * under tsx; --cpu-prof (with --bundled) writes a V8 CPU profile of the station process to DIR.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { subscribe } from 'node:diagnostics_channel';
import { monitorEventLoopDelay, performance as nodePerformance } from 'node:perf_hooks';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { DEFAULT_PROVISIONING_SETTINGS } from '../common/contract/provisioning';
import { EventHub } from '../main/host/event-hub';
import { createLogger } from '../main/host/logger';
import { PlatformClient, staticTokenSource } from '../main/platform';
import {
  laneEventsTo,
  platformPort,
  ProvisioningService,
  serialConnector,
  SettingsStore,
  type LaneEvents,
  type PlatformPort,
  type RunRecord,
} from '../main/provisioning';
import { SecretRedactor } from '../main/security/secret-redactor';

/** The repository root, from scripts/ under tsx or from dist/bench/ when bundled. */
function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'scripts', 'build.mjs'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no repository root above ${from}`);
  }
}

const root = findRoot(__dirname);
const bundled = __filename.endsWith('.cjs');

/** Every platform call's duration (ms) by method, as the station saw it (from the call to its answer). */
type CallLog = Map<string, number[]>;

function loggedCalls(port: PlatformPort, log: CallLog): PlatformPort {
  return new Proxy(port, {
    get(object, property, receiver) {
      const value: unknown = Reflect.get(object, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const started = performance.now();
        const result = (value as (...a: unknown[]) => Promise<unknown>).apply(object, args);
        const record = () => {
          const list = log.get(String(property)) ?? [];
          list.push(performance.now() - started);
          log.set(String(property), list);
        };
        return result.finally(record);
      };
    },
  });
}

/** CPU time (user + system, ms) of a process so far, from /proc (Linux); undefined elsewhere. */
function processCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (in parentheses, which may hold spaces): utime and stime are 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return undefined;
  }
}

/** The machine's busy and total CPU time so far (ms, all cores), from /proc/stat. */
function machineCpuMs(): { busy: number; total: number } | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const ticks = line.trim().split(/\s+/).slice(1, 9).map(Number);
    const total = ticks.reduce((sum, value) => sum + value, 0);
    const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
    return { busy: ((total - idle) * 1000) / 100, total: (total * 1000) / 100 };
  } catch {
    return undefined;
  }
}

const load = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');

interface Started {
  child: ChildProcess;
  match: RegExpMatchArray;
  stop(): Promise<void>;
}

function start(script: string, args: string[], ready: RegExp): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, script), ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.once('exit', () => {
        clearTimeout(killer);
        resolve();
      });
      child.kill('SIGTERM');
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`${script} not ready after 60 s:\n${output}`));
    }, 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = output.match(ready);
      if (match) {
        clearTimeout(timer);
        resolve({ child, match, stop });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code}:\n${output}`));
    });
  });
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

const round1 = (value: number) => Math.round(value * 10) / 10;

function optional<K extends string>(key: K, value: number | undefined): Partial<Record<K, number>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, number>);
}

interface Figures {
  lanes: number;
  devices: number;
  failed: number;
  p50Ms: number;
  p95Ms: number;
  stationP50Ms: number;
  stationP95Ms: number;
  deviceP50Ms: number;
  deviceP95Ms: number;
  platformP50Ms: number;
  platformP95Ms: number;
  devicesPerMin: number;
  efficiency: number;
  peakRssMb: number;
  /** CPU time of the station process (user + system) per provisioned device. */
  stationCpuMsPerDevice: number;
  /** Heap, external and array-buffer memory of the station after the last round (MB). */
  heapUsedMb: number;
  externalMb: number;
  /** CPU each process used over the lane count's wall time, in % of one core (200% = both of two cores). */
  stationBusyPct: number;
  farmBusyPct?: number;
  platformBusyPct?: number;
  /** The whole machine's busy share (all processes, other users included), % of all cores. */
  machineBusyPct?: number;
  /** Contract events serialised for the window, per device (kB). */
  eventKbPerDevice: number;
  /** Load average (1, 5, 15 min) when the lane count finished. */
  loadAvg: string;
  /** Share of the rounds' wall time the station's event loop was running code (%): its one thread's load. */
  loopUtilisationPct: number;
  /** The station's event-loop delay over the rounds (ms): how late a due callback ran because the thread was busy. */
  loopDelayP50Ms: number;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  /** Platform calls per device, and each method's p50 as the station timed it: method → [calls/device, p50 ms]. */
  platformCalls: Record<string, [number, number]>;
  /** Each pipeline step's p50 wall time (ms), passed runs only. */
  stepP50Ms: Record<string, number>;
  /** The station's HTTP: connections opened, p50/p95 wait before sending, p50/p95 from sending to the answer's headers. */
  http: { connects: number; queuedP50Ms: number; queuedP95Ms: number; answerP50Ms: number; answerP95Ms: number };
  /** Contract events per device (all kinds). */
  eventsPerDevice: number;
}

/**
 * The station's HTTP requests as undici (Node's fetch) reports them on its diagnostics channels:
 * connections opened, how long a request waited before its headers went out (a free connection,
 * a connect), and from then until the answer's headers were read (the wire, the platform's queue
 * and work, and this event loop's delay in reading them).
 */
class HttpTimings {
  #connects = 0;
  readonly #open = new WeakMap<object, { created: number; sent?: number }>();
  #done: Array<{ queuedMs: number; answerMs: number }> = [];

  constructor() {
    const request = (message: unknown) => (message as { request: object }).request;
    subscribe('undici:request:create', (m) => this.#open.set(request(m), { created: performance.now() }));
    subscribe('undici:client:sendHeaders', (m) => {
      const times = this.#open.get(request(m));
      if (times) times.sent = performance.now();
    });
    subscribe('undici:request:headers', (m) => {
      const times = this.#open.get(request(m));
      if (times?.sent === undefined) return;
      this.#done.push({ queuedMs: times.sent - times.created, answerMs: performance.now() - times.sent });
      this.#open.delete(request(m));
    });
    subscribe('undici:client:connected', () => (this.#connects += 1));
  }

  /** The figures since the last call, then starts again. */
  take(): { connects: number; queued: number[]; answer: number[] } {
    const done = this.#done;
    const connects = this.#connects;
    this.#done = [];
    this.#connects = 0;
    return { connects, queued: done.map((d) => d.queuedMs), answer: done.map((d) => d.answerMs) };
  }
}

const http = new HttpTimings();

/** monitorEventLoopDelay samples with a timer of this period; its figures include the period. */
const LOOP_RESOLUTION_MS = 5;

async function benchLanes(
  lanes: number,
  rounds: number,
  platformUrl: string,
  seed: { applicationId: string; apiToken: string },
  baud: number,
  platformPid: number | undefined,
): Promise<Omit<Figures, 'efficiency'>> {
  const scratch = await mkdtemp(path.join(tmpdir(), `keyline-bench-${lanes}-`));
  const linkDir = path.join(scratch, 'links');
  const farm = await start(
    'simulators/device/cli.ts',
    [
      '--count',
      String(lanes * rounds),
      '--link',
      linkDir,
      '--hwid',
      `B${lanes}-${Date.now().toString(36)}-`,
      '--baud',
      String(baud),
    ],
    /device-sim ready/,
  );
  const redactor = new SecretRedactor();
  redactor.add(seed.apiToken);
  const calls: CallLog = new Map();
  const loop = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  const records: RunRecord[] = [];
  // As in the app: lane events through the contract's hub, each serialised as the web host sends it.
  const hub = new EventHub();
  let wireBytes = 0;
  let eventCount = 0;
  hub.subscribe((event, payload) => {
    eventCount += 1;
    wireBytes += JSON.stringify({ type: 'event', event, payload }).length;
  });
  const toHub = laneEventsTo(hub, (error) =>
    process.stderr.write(`bench: a lane event broke the contract: ${String(error)}\n`),
  );
  const events: LaneEvents = {
    ...toHub,
    laneFinished: (view) => {
      toHub.laneFinished(view);
      const record = service.lastRecord(view.id);
      if (record) records.push(record);
    },
  };
  const logger = createLogger({
    redactor,
    level: 'info',
    destination: pino.destination({ dest: '/dev/null', sync: true }),
  });
  const dataDir = path.join(scratch, 'data');
  const service: ProvisioningService = new ProvisioningService({
    dataDir,
    redactor,
    connector: serialConnector({
      redactor,
      baudRate: baud,
      onLog: (line) => logger.debug({ port: line.port, line: line.text }, 'device log'),
    }),
    target: async () => ({
      platform: loggedCalls(
        platformPort(new PlatformClient({ apiUrl: platformUrl, tokens: staticTokenSource(seed.apiToken), redactor })),
        calls,
      ),
      operator: 'bench',
    }),
    settings: new SettingsStore(dataDir),
    overrides: { ...DEFAULT_PROVISIONING_SETTINGS, applicationId: seed.applicationId, ifProvisioned: 'skip' },
    station: 'bench',
    events,
    lockCommand: 'npm run bench',
  });
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 20);
  let wallMs = 0;
  const before = {
    station: process.cpuUsage(),
    farm: processCpuMs(farm.child.pid),
    platform: processCpuMs(platformPid),
    machine: machineCpuMs(),
    wall: performance.now(),
  };
  let loopUtilisation: number;
  let httpFigures: ReturnType<HttpTimings['take']>;
  let after: Omit<typeof before, 'station'> & { station: NodeJS.CpuUsage; memory: NodeJS.MemoryUsage };
  loop.enable();
  http.take();
  const loopBefore = nodePerformance.eventLoopUtilization();
  try {
    await service.reconcile();
    for (let round = 0; round < rounds; round += 1) {
      const ports = Array.from({ length: lanes }, (_, index) => path.join(linkDir, `tty${round * lanes + index}`));
      const started = performance.now();
      await service.start(ports);
      await service.idle();
      wallMs += performance.now() - started;
    }
  } finally {
    clearInterval(sampler);
    loop.disable();
    loopUtilisation = nodePerformance.eventLoopUtilization(loopBefore).utilization;
    httpFigures = http.take();
    // Taken before anything closes: the figures are those of the rounds.
    after = {
      station: process.cpuUsage(before.station),
      farm: processCpuMs(farm.child.pid),
      platform: processCpuMs(platformPid),
      machine: machineCpuMs(),
      wall: performance.now(),
      memory: process.memoryUsage(),
    };
    await service.close();
    await farm.stop();
    await rm(scratch, { recursive: true, force: true });
  }
  const spanMs = after.wall - before.wall;
  const stationCpuMs = (after.station.user + after.station.system) / 1000;
  const busy = (from: number | undefined, to: number | undefined) =>
    from === undefined || to === undefined ? undefined : Math.round(((to - from) / spanMs) * 100);
  const machineBusyPct =
    before.machine && after.machine
      ? Math.round(
          ((after.machine.busy - before.machine.busy) / Math.max(1, after.machine.total - before.machine.total)) * 100,
        )
      : undefined;
  const mb = (bytes: number) => round1(bytes / (1024 * 1024));
  const passed = records.filter((record) => record.outcome === 'passed');
  const timing = (pick: (t: NonNullable<RunRecord['timing']>) => number) =>
    passed.map((record) => pick(record.timing!));
  const total = timing((t) => t.totalMs);
  const station = timing((t) => t.stationMs);
  const device = timing((t) => t.deviceMs);
  const platform = timing((t) => t.platformMs);
  for (const record of records.filter((r) => r.outcome !== 'passed')) {
    process.stdout.write(
      `  ! ${record.port}: ${record.outcome} ${record.error?.code ?? ''} ${record.error?.message ?? ''}\n`,
    );
  }
  return {
    lanes,
    devices: records.length,
    failed: records.length - passed.length,
    p50Ms: round1(percentile(total, 50)),
    p95Ms: round1(percentile(total, 95)),
    stationP50Ms: round1(percentile(station, 50)),
    stationP95Ms: round1(percentile(station, 95)),
    deviceP50Ms: round1(percentile(device, 50)),
    deviceP95Ms: round1(percentile(device, 95)),
    platformP50Ms: round1(percentile(platform, 50)),
    platformP95Ms: round1(percentile(platform, 95)),
    devicesPerMin: round1((passed.length / wallMs) * 60_000),
    peakRssMb: mb(peakRss),
    stationCpuMsPerDevice: round1(stationCpuMs / Math.max(1, records.length)),
    heapUsedMb: mb(after.memory.heapUsed),
    externalMb: mb(after.memory.external),
    stationBusyPct: Math.round((stationCpuMs / spanMs) * 100),
    ...optional('farmBusyPct', busy(before.farm, after.farm)),
    ...optional('platformBusyPct', busy(before.platform, after.platform)),
    ...optional('machineBusyPct', machineBusyPct),
    eventsPerDevice: round1(eventCount / Math.max(1, records.length)),
    eventKbPerDevice: round1(wireBytes / 1024 / Math.max(1, records.length)),
    loadAvg: load(),
    loopUtilisationPct: Math.round(loopUtilisation * 100),
    // The histogram's figures include its sampling period: take it off.
    loopDelayP50Ms: round1(Math.max(0, loop.percentile(50) / 1e6 - LOOP_RESOLUTION_MS)),
    loopDelayP99Ms: round1(Math.max(0, loop.percentile(99) / 1e6 - LOOP_RESOLUTION_MS)),
    loopDelayMaxMs: round1(Math.max(0, loop.max / 1e6 - LOOP_RESOLUTION_MS)),
    http: {
      connects: httpFigures.connects,
      queuedP50Ms: round1(percentile(httpFigures.queued, 50)),
      queuedP95Ms: round1(percentile(httpFigures.queued, 95)),
      answerP50Ms: round1(percentile(httpFigures.answer, 50)),
      answerP95Ms: round1(percentile(httpFigures.answer, 95)),
    },
    stepP50Ms: Object.fromEntries(
      [...new Set(passed.flatMap((record) => record.steps.map((step) => step.name)))].map((name) => [
        name,
        round1(
          percentile(
            passed.flatMap((record) => record.steps.filter((step) => step.name === name).map((step) => step.ms)),
            50,
          ),
        ),
      ]),
    ),
    platformCalls: Object.fromEntries(
      [...calls].map(([method, times]) => [
        method,
        [round1(times.length / Math.max(1, records.length)), round1(percentile(times, 50))],
      ]),
    ),
  };
}

/**
 * --bundled: builds this script with esbuild as scripts/build.mjs builds the app's main side
 * (bundled, node_modules external) and runs the bundle with plain node, so the station's memory and
 * CPU are those of shipped code, with no transpiler loaded.
 */
async function runBundled(args: string[], cpuProfDir: string | undefined): Promise<number> {
  const { build } = await import('esbuild');
  const outfile = path.join(root, 'dist', 'bench', 'bench-provisioning.cjs');
  await build({
    absWorkingDir: root,
    entryPoints: [path.join(root, 'scripts', 'bench-provisioning.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'linked',
    packages: 'external',
    logLevel: 'warning',
  });
  const nodeArgs = cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', cpuProfDir] : [];
  const child = spawn(process.execPath, [...nodeArgs, outfile, ...args], { cwd: root, stdio: 'inherit' });
  return await new Promise((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      lanes: { type: 'string', default: '1,8,32' },
      rounds: { type: 'string', default: '8,3,2' },
      baud: { type: 'string', default: '115200' },
      bundled: { type: 'boolean', default: false },
      'cpu-prof': { type: 'string' },
    },
  });
  if (values.bundled && !bundled) {
    const args = ['--lanes', values.lanes, '--rounds', values.rounds, '--baud', values.baud];
    const code = await runBundled(args, values['cpu-prof'] ? path.resolve(values['cpu-prof']) : undefined);
    if (code !== 0) throw new Error(`the bundled benchmark exited with ${code}`);
    return;
  }
  const laneCounts = values.lanes.split(',').map(Number);
  const rounds = values.rounds.split(',').map(Number);
  const baud = Number(values.baud);
  const platform = await start('simulators/platform/cli.ts', ['--port', '0'], /platform listening on (http:\/\/\S+)/);
  const platformUrl = platform.match[1]!;
  const results: Figures[] = [];
  try {
    const seed = (await (await fetch(`${platformUrl}/__sim/seed`)).json()) as {
      applicationId: string;
      apiToken: string;
    };
    process.stdout.write(
      `Keyline provisioning benchmark: ${laneCounts.join(', ')} lanes, ${baud} baud, platform ${platformUrl}; ` +
        `station ${bundled ? 'bundled (esbuild, plain node)' : 'under tsx'}, ${cpus().length} CPUs, load average ${load()}\n`,
    );
    let oneLane: number | undefined;
    for (const [index, lanes] of laneCounts.entries()) {
      const figures = await benchLanes(lanes, rounds[index] ?? 2, platformUrl, seed, baud, platform.child.pid);
      if (lanes === 1) oneLane = figures.devicesPerMin;
      const efficiency = oneLane ? Math.round((figures.devicesPerMin / (lanes * oneLane)) * 1000) / 1000 : 0;
      results.push({ ...figures, efficiency });
      process.stdout.write(
        `${String(lanes).padStart(3)} lanes: ${figures.devices} devices (${figures.failed} failed); ` +
          `latency p50 ${figures.p50Ms} ms, p95 ${figures.p95Ms} ms; ` +
          `station p50 ${figures.stationP50Ms} / p95 ${figures.stationP95Ms} ms, ` +
          `device p50 ${figures.deviceP50Ms} / p95 ${figures.deviceP95Ms} ms, ` +
          `platform p50 ${figures.platformP50Ms} / p95 ${figures.platformP95Ms} ms; ` +
          `${figures.devicesPerMin} devices/min, efficiency ${Math.round(efficiency * 100)}%, peak RSS ${figures.peakRssMb} MB, ` +
          `station CPU ${figures.stationCpuMsPerDevice} ms/device\n` +
          `           CPU busy (% of one core): station ${figures.stationBusyPct}%, device farm ${figures.farmBusyPct ?? '?'}%, ` +
          `platform ${figures.platformBusyPct ?? '?'}%; whole machine ${figures.machineBusyPct ?? '?'}% of ${cpus().length} cores; ` +
          `heap ${figures.heapUsedMb} MB, external ${figures.externalMb} MB; events ${figures.eventKbPerDevice} kB/device; ` +
          `load average ${figures.loadAvg}\n` +
          `           station event loop busy ${figures.loopUtilisationPct}%, delay p50 ${figures.loopDelayP50Ms} / p99 ${figures.loopDelayP99Ms} / max ${figures.loopDelayMaxMs} ms; ` +
          `HTTP: ${figures.http.connects} connections opened, wait to send p50 ${figures.http.queuedP50Ms} / p95 ${figures.http.queuedP95Ms} ms, ` +
          `sent to answer p50 ${figures.http.answerP50Ms} / p95 ${figures.http.answerP95Ms} ms; events ${figures.eventsPerDevice}/device\n` +
          `           platform calls per device (p50 ms): ${Object.entries(figures.platformCalls)
            .map(([method, [count, p50]]) => `${method} ${count}× ${p50}`)
            .join(', ')}\n` +
          `           steps p50 (ms): ${Object.entries(figures.stepP50Ms)
            .map(([name, ms]) => `${name} ${ms}`)
            .join(', ')}\n`,
      );
    }
  } finally {
    await platform.stop();
  }
  process.stdout.write(`${JSON.stringify(results)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
