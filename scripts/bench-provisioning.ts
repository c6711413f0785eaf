/**
 * `npm run bench`: provisions simulated devices over real pseudo-terminals against the platform
 * simulator at 1, 8 and 32 lanes (DESIGN.md §5) and prints per-device latency (p50/p95) split into
 * station, device and platform time, throughput, parallel efficiency and the station's peak RSS.
 * The platform simulator and the device farm run in their own processes, so the figures are the
 * station's own. The last line is one JSON array of the figures per lane count.
 *
 *   npm run bench [-- --lanes 1,8,32] [--rounds 8,3,2] [--baud 115200]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_PROVISIONING_SETTINGS } from '../common/contract/provisioning';
import { PlatformClient, staticTokenSource } from '../main/platform';
import {
  platformPort,
  ProvisioningService,
  serialConnector,
  SettingsStore,
  type LaneEvents,
  type RunRecord,
} from '../main/provisioning';
import { SecretRedactor } from '../main/security/secret-redactor';

const root = path.resolve(__dirname, '..');

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
}

async function benchLanes(
  lanes: number,
  rounds: number,
  platformUrl: string,
  seed: { applicationId: string; apiToken: string },
  baud: number,
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
  const records: RunRecord[] = [];
  const events: LaneEvents = {
    laneAdded: () => undefined,
    laneUpdated: () => undefined,
    laneStep: () => undefined,
    batch: () => undefined,
    laneFinished: (view) => {
      const record = service.lastRecord(view.id);
      if (record) records.push(record);
    },
  };
  const dataDir = path.join(scratch, 'data');
  const service: ProvisioningService = new ProvisioningService({
    dataDir,
    redactor,
    connector: serialConnector({ redactor, baudRate: baud }),
    target: async () => ({
      platform: platformPort(
        new PlatformClient({ apiUrl: platformUrl, tokens: staticTokenSource(seed.apiToken), redactor }),
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
  let cpu: NodeJS.CpuUsage | undefined;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
  let wallMs = 0;
  const cpuBefore = process.cpuUsage();
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
    cpu = process.cpuUsage(cpuBefore);
    await service.close();
    await farm.stop();
    await rm(scratch, { recursive: true, force: true });
  }
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
    peakRssMb: round1(peakRss / (1024 * 1024)),
    stationCpuMsPerDevice: round1(((cpu?.user ?? 0) + (cpu?.system ?? 0)) / 1000 / Math.max(1, records.length)),
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      lanes: { type: 'string', default: '1,8,32' },
      rounds: { type: 'string', default: '8,3,2' },
      baud: { type: 'string', default: '115200' },
    },
  });
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
      `Keyline provisioning benchmark: ${laneCounts.join(', ')} lanes, ${baud} baud, platform ${platformUrl}\n`,
    );
    let oneLane: number | undefined;
    for (const [index, lanes] of laneCounts.entries()) {
      const figures = await benchLanes(lanes, rounds[index] ?? 2, platformUrl, seed, baud);
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
          `station CPU ${figures.stationCpuMsPerDevice} ms/device\n`,
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
