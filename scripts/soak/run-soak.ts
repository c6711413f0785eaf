import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setFlagsFromString, writeHeapSnapshot } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { DEFAULT_PROVISIONING_SETTINGS } from '../../common/contract/provisioning';
import { createLogger } from '../../main/host/logger';
import { PlatformClient } from '../../main/platform';
import {
  platformPort,
  ProvisioningService,
  serialConnector,
  SettingsStore,
  type LaneEvents,
} from '../../main/provisioning';
import { exportJournal, readJournalRecords } from '../../main/provisioning/journal';
import { SecretRedactor } from '../../main/security/secret-redactor';
import { chooseDeviceFault, type DeviceFault } from './device-faults';
import { expiringTokens } from './expiring-tokens';
import type { FaultKind } from './faulty-proxy';
import {
  auditJournal,
  checkDevice,
  filesUnder,
  findSecrets,
  keyBalance,
  listKeys,
  type DeviceHealth,
  type PlatformKey,
} from './invariants';
import { control, startChild, type Child } from './processes';
import { createRandom } from './random';

export interface SoakOptions {
  devices: number;
  lanes: number;
  faultRate: number;
  seed: number;
  maxMinutes: number;
  /** Share of the units that passed which are provisioned a second time (rotation) in their wave. */
  rotateFraction: number;
  /** Progress lines for a person. */
  print: (line: string) => void;
  /** Everything printed so far, for the secret scan. */
  printed: () => string;
  keep?: boolean;
}

export interface SoakSummary {
  attempts: number;
  passed: number;
  failed: number;
  skipped: number;
  unresolved: number;
  failedByCause: Record<string, number>;
  rotations: { attempts: number; passed: number };
  journalRecords: number;
  unfinishedIntents: number;
  journalIntact: boolean;
  orphanKeys: number;
  /** For each orphan key: its name, and what the journal says of its run (for a person to follow up). */
  orphans: string[];
  keysNotActive: number;
  brokenDevices: number;
  broken: string[];
  devices: number;
  provisionedDevices: number;
  secretsFound: number;
  secretPlaces: string[];
  secretsKnown: number;
  /** Secrets the station's redactor still held once every run had ended (each run drops its own). */
  secretsHeldAfter: number;
  peakRssMb: number;
  rssGrowthMb: number;
  heapGrowthMb: number;
  waves: number;
  minutes: number;
  stoppedEarly: boolean;
  deviceFaults: Record<string, number>;
  platformFaults: Record<FaultKind, number>;
  platformRequests: number;
  tokenRenewals: number;
  reconciledRuns: number;
  seed: number;
}

interface Attempt {
  runId: string;
  port: string;
  outcome: string;
  code?: string;
  rotation: boolean;
}

const mb = (bytes: number) => Math.round((bytes / (1024 * 1024)) * 10) / 10;

function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/**
 * The soak: units provisioned in waves of `lanes` through the real pipeline (ProvisioningService,
 * serial link on ptys, platform client, hash-chained journal), with faults injected at random on
 * both sides, then every invariant checked from outside. See docs/reliability.md.
 */
export async function runSoak(options: SoakOptions): Promise<SoakSummary> {
  const started = Date.now();
  const random = createRandom(options.seed);
  const scratch = await mkdtemp(path.join(tmpdir(), 'keyline-soak-'));
  const dataDir = path.join(scratch, 'data');
  const linkDir = path.join(scratch, 'links');
  const logFile = path.join(scratch, 'station.log');
  const exportsDir = path.join(scratch, 'exports');
  await mkdir(linkDir, { recursive: true });
  await mkdir(exportsDir, { recursive: true });
  const children: Child[] = [];
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  sampler.unref();
  try {
    const sim = await startChild('simulators/platform/cli.ts', ['--port', '0'], /platform listening on (http:\/\/\S+)/);
    children.push(sim);
    const simUrl = sim.match[1]!;
    const seed = await control<{ applicationId: string; apiToken: string }>(`${simUrl}/__sim/seed`);
    const proxy = await startChild(
      'scripts/soak/proxy-cli.ts',
      ['--target', simUrl, '--rate', String(options.faultRate), '--seed', String(options.seed)],
      /proxy ready on (http:\/\/\S+)/,
    );
    children.push(proxy);
    const proxyUrl = proxy.match[1]!;
    const tokens = expiringTokens({
      platformUrl: simUrl,
      applicationId: seed.applicationId,
      adminToken: seed.apiToken,
      random,
    });

    const redactor = new SecretRedactor();
    const logStream = createWriteStream(logFile, { flags: 'a', mode: 0o600 });
    const logger = createLogger({ redactor, destination: logStream });
    const attempts: Attempt[] = [];
    const events: LaneEvents = {
      laneAdded: () => undefined,
      laneUpdated: () => undefined,
      laneStep: () => undefined,
      batch: () => undefined,
      laneFinished: (view) => {
        const record = service.lastRecord(view.id);
        logger.info({ lane: view }, 'lane finished');
        if (!record) return;
        attempts.push({
          runId: record.runId,
          port: record.port,
          outcome: record.outcome,
          ...(record.error ? { code: record.error.code } : {}),
          rotation: record.rotation !== undefined,
        });
      },
    };
    const service: ProvisioningService = new ProvisioningService({
      dataDir,
      redactor,
      connector: serialConnector({
        redactor,
        onLog: (line) => logger.info({ port: line.port, line: line.text }, 'device log'),
      }),
      target: async () => ({
        platform: platformPort(new PlatformClient({ apiUrl: proxyUrl, tokens, redactor })),
        operator: 'soak@keyline.invalid',
      }),
      settings: new SettingsStore(dataDir),
      // ifProvisioned is left to the stored settings: each pass sets it (skip, then rotate).
      overrides: { ...settingsWithoutPolicy(), applicationId: seed.applicationId },
      station: 'soak',
      events,
      lockCommand: 'npm run soak',
    });

    const deviceFaults: Record<string, number> = {};
    const health: DeviceHealth[] = [];
    let reconciledRuns = 0;
    let stoppedEarly = false;
    let waves = 0;
    let firstWave: { rss: number; heap: number } | undefined;
    let lastWave = { rss: 0, heap: 0 };
    const waveCount = Math.ceil(options.devices / options.lanes);

    for (let wave = 0; wave < waveCount; wave++) {
      if (Date.now() - started > options.maxMinutes * 60_000) {
        stoppedEarly = true;
        break;
      }
      const count = Math.min(options.lanes, options.devices - wave * options.lanes);
      const farm = await startChild(
        'simulators/device/cli.ts',
        [
          '--count',
          String(count),
          '--link',
          count === 1 ? path.join(linkDir, 'tty0') : linkDir,
          '--hwid',
          `S${options.seed}W${wave}-`,
          '--control-port',
          '0',
        ],
        /device-sim ready: .* control (http:\/\/\S+)/,
      );
      children.push(farm);
      const farmUrl = farm.match[1]!;
      const ports = Array.from({ length: count }, (_, index) => path.join(linkDir, `tty${index}`));
      const before = attempts.length;

      const pass = async (passPorts: string[], policy: 'skip' | 'rotate') => {
        const faults = passPorts.map(() => chooseDeviceFault(random, options.faultRate));
        await Promise.all(
          faults.map((fault, index) => {
            deviceFaults[fault.label] = (deviceFaults[fault.label] ?? 0) + 1;
            return control(`${farmUrl}/devices/${ports.indexOf(passPorts[index]!)}/faults`, 'PUT', fault.spec);
          }),
        );
        await service.setSettings({ ifProvisioned: policy });
        const actions = scheduleActions(
          farmUrl,
          passPorts.map((port) => ports.indexOf(port)),
          faults,
        );
        await service.start(passPorts);
        let watchdog: NodeJS.Timeout | undefined;
        const finished = await Promise.race([
          service.idle().then(() => true),
          new Promise<false>((resolve) => (watchdog = setTimeout(() => resolve(false), 5 * 60_000))),
        ]);
        clearTimeout(watchdog);
        if (!finished) {
          options.print(`  wave ${wave + 1}: runs still going after 5 minutes: stopped`);
          service.stop();
          await service.idle();
        }
        await actions.settle();
        await Promise.all(ports.map((_, index) => control(`${farmUrl}/devices/${index}/faults`, 'PUT', '')));
      };

      await pass(ports, 'skip');
      const passedPorts = new Set(
        attempts
          .slice(before)
          .filter((a) => a.outcome === 'passed')
          .map((a) => a.port),
      );
      const rotate = ports.filter((port) => passedPorts.has(port) && random() < options.rotateFraction);
      if (rotate.length > 0) await pass(rotate, 'rotate');

      // A run the station could not settle while it ran (a unit that stayed silent after a commit)
      // is settled as a restart would, while the units are still on their ports.
      const open = attempts.slice(before).filter((a) => a.outcome === 'unresolved').length;
      if (open > 0) reconciledRuns += (await service.reconcile()).length;

      // The audit sees the platform and the units as they are, without injected faults.
      await control(`${proxyUrl}/__proxy/rate`, 'PUT', { rate: 0 });
      const keys = new Map((await listKeys(simUrl, seed.applicationId, seed.apiToken)).map((key) => [key.id, key]));
      const checked = await mapLimit(ports, 8, (port) => checkDevice(port, keys));
      health.push(...checked);
      await control(`${proxyUrl}/__proxy/rate`, 'PUT', { rate: options.faultRate });
      await farm.stop();
      children.splice(children.indexOf(farm), 1);

      collectGarbage();
      const memory = process.memoryUsage();
      lastWave = { rss: memory.rss, heap: memory.heapUsed };
      // For a leak hunt: heap snapshots after the third wave and the last, to compare (docs/reliability.md).
      const snapshots = process.env['KEYLINE_SOAK_SNAPSHOTS'];
      if (snapshots && (wave === 2 || wave === waveCount - 1)) {
        writeHeapSnapshot(path.join(snapshots, `wave-${wave + 1}.heapsnapshot`));
      }
      firstWave ??= lastWave;
      waves++;
      const mine = attempts.slice(before);
      const failedCodes = mine.filter((a) => a.outcome !== 'passed').map((a) => a.code ?? a.outcome);
      options.print(
        `wave ${wave + 1}/${waveCount}: ${count} units, ${mine.length} runs (${rotate.length} rotations): ` +
          `${mine.filter((a) => a.outcome === 'passed').length} passed` +
          (failedCodes.length ? `, ${failedCodes.length} not passed (${failedCodes.join(', ')})` : '') +
          `; broken ${checked.filter((h) => h.broken).length}; rss ${mb(memory.rss)} MB, heap ${mb(memory.heapUsed)} MB; ` +
          `${Math.round((Date.now() - started) / 1000)} s`,
      );
    }
    await service.close();
    const secretsHeldAfter = redactor.size;
    await new Promise<void>((resolve) => logStream.end(resolve));

    const audit = await auditJournal(
      dataDir,
      attempts.map((a) => a.runId),
    );
    const keys: PlatformKey[] = await listKeys(simUrl, seed.applicationId, seed.apiToken);
    const balance = keyBalance(
      keys,
      health.flatMap((h) => (h.activeKeyId ? [h.activeKeyId] : [])),
    );
    const orphans = await describeOrphans(dataDir, keys, balance.orphans);
    for (const format of ['csv', 'jsonl'] as const) {
      let text = '';
      for await (const chunk of exportJournal(dataDir, { format })) text += chunk;
      await writeFile(path.join(exportsDir, `journal.${format}`), text, { mode: 0o600 });
    }
    const proxySecrets = await control<string[]>(`${proxyUrl}/__proxy/secrets`);
    const stats = await control<{ requests: number; faults: Record<FaultKind, number> }>(`${proxyUrl}/__proxy/stats`);
    const secrets = new Set([...proxySecrets, ...tokens.minted, seed.apiToken]);
    const places = [
      ...(await filesUnder(dataDir)),
      ...(await filesUnder(exportsDir)),
      ...(await filesUnder(path.dirname(logFile))).filter((file) => file.name === logFile),
      { name: 'soak output', text: options.printed() },
    ];
    const secretPlaces = findSecrets(secrets, places);

    const failedByCause: Record<string, number> = {};
    for (const attempt of attempts.filter((a) => a.outcome === 'failed' || a.outcome === 'unresolved')) {
      const cause = attempt.code ?? attempt.outcome;
      failedByCause[cause] = (failedByCause[cause] ?? 0) + 1;
    }
    const count = (outcome: string) => attempts.filter((a) => a.outcome === outcome).length;
    return {
      attempts: attempts.length,
      passed: count('passed'),
      failed: count('failed') + count('unresolved'),
      skipped: count('skipped'),
      unresolved: count('unresolved'),
      failedByCause,
      rotations: {
        attempts: attempts.filter((a) => a.rotation).length,
        passed: attempts.filter((a) => a.rotation && a.outcome === 'passed').length,
      },
      journalRecords: audit.withFinalRecord,
      unfinishedIntents: audit.unfinished,
      journalIntact: audit.intact,
      orphanKeys: balance.orphans.length,
      orphans,
      keysNotActive: balance.missing.length,
      brokenDevices: health.filter((h) => h.broken).length,
      broken: health.filter((h) => h.broken).map((h) => `${h.hwid ?? h.port}: ${h.reason}`),
      devices: health.length,
      provisionedDevices: health.filter((h) => h.activeKeyId).length,
      secretsFound: secretPlaces.length,
      secretPlaces,
      secretsKnown: secrets.size,
      secretsHeldAfter,
      peakRssMb: mb(peakRss),
      rssGrowthMb: firstWave ? mb(lastWave.rss - firstWave.rss) : 0,
      heapGrowthMb: firstWave ? mb(lastWave.heap - firstWave.heap) : 0,
      waves,
      minutes: Math.round(((Date.now() - started) / 60_000) * 10) / 10,
      stoppedEarly,
      deviceFaults,
      platformFaults: stats.faults,
      platformRequests: stats.requests,
      tokenRenewals: tokens.renewals,
      reconciledRuns,
      seed: options.seed,
    };
  } finally {
    clearInterval(sampler);
    for (const child of children.reverse()) await child.stop();
    if (!options.keep) await rm(scratch, { recursive: true, force: true });
    else options.print(`kept ${scratch}`);
  }
}

/** What the journal says of the runs whose keys are orphans: kinds, outcome, error, notes. */
async function describeOrphans(dataDir: string, keys: PlatformKey[], orphanIds: string[]): Promise<string[]> {
  const described: string[] = [];
  for (const id of orphanIds) {
    const key = keys.find((candidate) => candidate.id === id);
    const runId = key?.name?.replace(/^keyline-/, '') ?? '';
    const told: string[] = [];
    for await (const { record } of readJournalRecords(dataDir)) {
      const mentions = JSON.stringify(record).includes(id);
      if (!('runId' in record) || (record.runId !== runId && !mentions)) continue;
      const fields = record as unknown as Record<string, unknown>;
      const bits = [
        `${record.kind}${record.runId === runId ? '' : ` of ${String(record.runId)}`}`,
        fields['outcome'],
        fields['action'],
        fields['step'] && `${String(fields['step'])}:${String(fields['status'])}`,
        (fields['error'] as { code?: string } | undefined)?.code,
        fields['previousKeyAction'],
        Array.isArray(fields['notes']) && (fields['notes'] as string[]).join(' / '),
      ].filter(Boolean);
      told.push(bits.join(' '));
    }
    described.push(`${id} (${key?.name ?? 'no name'}): ${told.join(' | ') || 'no journal record names it'}`);
  }
  return described;
}

function settingsWithoutPolicy() {
  const { ifProvisioned: _policy, ...rest } = DEFAULT_PROVISIONING_SETTINGS;
  return rest;
}

/** Runs the mid-run actions (a reset, a pulled cable) at their moments; `settle` waits for any in flight. */
function scheduleActions(farmUrl: string, indexes: number[], faults: DeviceFault[]) {
  const timers: NodeJS.Timeout[] = [];
  const running: Promise<unknown>[] = [];
  faults.forEach((fault, position) => {
    const action = fault.action;
    if (!action) return;
    const device = `${farmUrl}/devices/${indexes[position]}`;
    timers.push(
      setTimeout(() => {
        const act =
          action.kind === 'reboot'
            ? control(`${device}/reboot`, 'POST')
            : control(`${device}/unplug`, 'POST')
                .then(() => new Promise((resolve) => setTimeout(resolve, action.forMs)))
                .then(() => control(`${device}/replug`, 'POST'));
        running.push(act.catch(() => undefined));
      }, action.atMs),
    );
  });
  return {
    async settle() {
      for (const timer of timers) clearTimeout(timer);
      await Promise.all(running);
    },
  };
}

async function mapLimit<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index]!);
      }
    }),
  );
  return results;
}
