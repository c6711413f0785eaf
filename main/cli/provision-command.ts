import os from 'node:os';
import { createInterface } from 'node:readline/promises';
import {
  IfProvisioned,
  VerifyMode,
  type Answer,
  type LaneView,
  type ProvisioningSettings,
  type Question,
} from '../../common/contract/provisioning';
import { KeylineError } from '../../common/errors';
import { parseCommandLine } from '../host/args';
import { PlatformClient } from '../platform';
import {
  platformPort,
  ProvisioningService,
  serialConnector,
  SettingsStore,
  type LaneEvents,
  type ProvisioningTarget,
} from '../provisioning';
import { SecretRedactor } from '../security/secret-redactor';
import { resolveDataDir } from '../storage/data-dir';
import type { CliCommand, CliIo } from './commands';
import { requirePlatformAccess } from './platform-access';
import { deviceLine, finishedLine, ProgressBars } from './provision-output';

const USAGE =
  'keyline provision --api URL --app ID --port PATH [--port PATH ...] [--verify device|station] ' +
  '[--if-provisioned ask|rotate|skip] [--json] [--data-dir DIR] [--register create|pre-registered] ' +
  '[--name-template T] [--retire-old-key deactivate|delete] [--station NAME] [--operator NAME] [--device-log]';

const OPTIONS = {
  api: { type: 'string' },
  app: { type: 'string' },
  port: { type: 'string', multiple: true },
  verify: { type: 'string' },
  'if-provisioned': { type: 'string' },
  json: { type: 'boolean', default: false },
  'data-dir': { type: 'string' },
  register: { type: 'string' },
  'name-template': { type: 'string' },
  'retire-old-key': { type: 'string' },
  station: { type: 'string' },
  operator: { type: 'string' },
  'device-log': { type: 'boolean', default: false },
} as const;

type Values = ReturnType<typeof parseCommandLine<typeof OPTIONS>>['values'];

function usage(message: string): never {
  throw new KeylineError('CLI_USAGE', `${message}\nusage: ${USAGE}`);
}

function oneOf<T extends string>(name: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value))
    usage(`--${name} must be ${allowed.join(' or ')}, not "${value}"`);
  return value as T;
}

/** This run's settings from the flags (they override the stored settings, and are not saved). */
function overridesFrom(values: Values): Partial<ProvisioningSettings> {
  const overrides: Partial<ProvisioningSettings> = {};
  if (values.app !== undefined) {
    if (!/^[A-Fa-f\d]{24}$/.test(values.app)) usage(`--app must be a 24-hex application id, not "${values.app}"`);
    overrides.applicationId = values.app;
  }
  const verify = oneOf('verify', values.verify, VerifyMode.options);
  if (verify) overrides.verifyMode = verify;
  const policy = oneOf('if-provisioned', values['if-provisioned'], IfProvisioned.options);
  if (policy) overrides.ifProvisioned = policy;
  const register = oneOf('register', values.register, ['create', 'pre-registered'] as const);
  if (register) overrides.registration = register;
  const retire = oneOf('retire-old-key', values['retire-old-key'], ['deactivate', 'delete'] as const);
  if (retire) overrides.retireOldKey = retire;
  if (values['name-template'] !== undefined) overrides.deviceNameTemplate = values['name-template'];
  // The CLI never starts lanes by itself on hot-plug: it provisions the ports it was given.
  overrides.autoStart = false;
  return overrides;
}

/** Questions on a terminal, one at a time; without one, the safe answer. */
function questioner(io: CliIo, interactive: boolean, bars: ProgressBars | undefined) {
  let queue: Promise<unknown> = Promise.resolve();
  return (question: Question, lane: LaneView): Promise<Answer> | Answer => {
    if (!interactive) return question.kind === 'already-provisioned' ? 'skip' : 'stop';
    const asked = queue.then(async () => {
      bars?.pause();
      const prompt = createInterface({ input: io.stdin, output: process.stderr, terminal: true });
      try {
        for (;;) {
          const text = await prompt.question(`\n${lane.port}: ${question.message}\n[${question.choices.join('/')}] `);
          const answer = question.choices.find((choice) => choice === text.trim().toLowerCase());
          if (answer) return answer;
        }
      } finally {
        prompt.close();
        bars?.resume();
      }
    });
    queue = asked.catch(() => undefined);
    return asked;
  };
}

export const provisionCommand: CliCommand = {
  name: 'provision',
  summary:
    'Provision the devices on the given ports: one lane each, in parallel; exit 0 only when every device passed.',
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parseCommandLine(argv, OPTIONS, USAGE);
    if (positionals.length > 0) usage(`unexpected argument "${positionals[0]}"`);
    const ports = values.port ?? [];
    if (ports.length === 0) usage('give at least one --port');
    const overrides = overridesFrom(values);
    const dataDir = resolveDataDir({ flag: values['data-dir'], env: io.env });
    const redactor = new SecretRedactor();
    const creds = await requirePlatformAccess({
      command: 'keyline provision',
      api: values.api,
      operator: values.operator,
      io,
      dataDir,
      redactor,
      usage,
    });
    const client = new PlatformClient({ apiUrl: creds.apiUrl, tokens: creds.tokens, redactor });
    const target: ProvisioningTarget = {
      platform: platformPort(client),
      operator: creds.operator,
      ...(creds.applicationId ? { applicationId: creds.applicationId } : {}),
    };
    if (!overrides.applicationId && !creds.applicationId)
      usage('--app is required (no application is chosen in the app)');

    const print = (text: string) => (bars ? bars.print(text) : io.stderr(`${text}\n`));
    const interactive = !values.json && io.isTTY && Boolean((io.stdin as { isTTY?: boolean }).isTTY);
    const bars = !values.json && io.isTTY ? new ProgressBars(io.stdout, () => service.lanes()) : undefined;
    const events: LaneEvents = {
      laneAdded: () => undefined,
      laneUpdated: () => undefined,
      laneStep: () => undefined,
      batch: () => undefined,
      laneFinished: (view) => {
        if (values.json) io.stdout(`${JSON.stringify(deviceLine(view, service.lastRecord(view.id)))}\n`);
        else if (bars) bars.print(finishedLine(view));
        else io.stdout(`${finishedLine(view)}\n`);
      },
    };
    const service: ProvisioningService = new ProvisioningService({
      dataDir,
      redactor,
      connector: serialConnector({
        redactor,
        // Device log lines come redacted from the serial client: every secret the station holds is replaced.
        ...(values['device-log'] ? { onLog: (line) => print(`${line.port}: ${line.text}`) } : {}),
      }),
      target: async () => target,
      settings: new SettingsStore(dataDir),
      overrides,
      station: values.station ?? io.env['KEYLINE_STATION'] ?? os.hostname(),
      events,
      lockCommand: 'keyline provision',
      answerFor: questioner(io, interactive, bars),
    });
    const stop = () => {
      print('Stopping: runs in progress are being cleaned up (press Ctrl-C again to quit at once)...');
      service.stop();
      process.once('SIGINT', () => process.exit(130));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const started = performance.now();
    try {
      await service.getSettings();
      for (const summary of await service.reconcile()) {
        print(
          `reconciled interrupted run ${summary.runId}: ${summary.action}${summary.outcome ? ` (${summary.outcome})` : ''}: ${summary.reason}`,
        );
      }
      bars?.start();
      await service.start(ports);
      await service.idle();
    } finally {
      bars?.stop();
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      await service.close();
      await creds.close();
    }
    const counters = service.counters();
    const secondsTaken = ((performance.now() - started) / 1000).toFixed(1);
    io.stderr(
      `${counters.passed} passed, ${counters.failed + counters.unresolved} failed` +
        `${counters.unresolved ? ` (${counters.unresolved} unresolved)` : ''}, ${counters.skipped} skipped in ${secondsTaken} s\n`,
    );
    return counters.passed === counters.lanes ? 0 : 1;
  },
};
