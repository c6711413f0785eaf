import os from 'node:os';
import { KeylineError } from '../../common/errors';
import { parseCommandLine } from '../host/args';
import {
  dataDirInspectJournal,
  formatDiagnosis,
  InspectService,
  preferToken,
  safeJson,
  sessionPlatformSource,
  tokenPlatformSource,
  type InspectPlatformSource,
} from '../inspect';
import { SecretRedactor } from '../security/secret-redactor';
import { resolveDataDir } from '../storage/data-dir';
import type { CliCommand, CliIo } from './commands';
import { cliPlatformAccess, requirePlatformAccess } from './platform-access';

const USAGE =
  'keyline diagnose (--port PATH | --device ID [--app ID]) [--app ID] [--api URL] [--json] [--no-test] [--data-dir DIR]';

const HELP = `usage: ${USAGE}

Why can't this device connect? Checks each cause and says which hold, with the fix: no credentials,
device deleted, device class that cannot connect (peripheral, floating), access key deleted,
inactive or restricted to other devices, device id on the device differing from the platform,
secret mismatch, device clock far off, platform unreachable from the device.

  --port PATH    a device on a serial port: asks it hello, lets it test its own credentials
                 against the platform (unless --no-test), and compares with the platform
  --device ID    a device by its platform id (no serial connection): its record, its key (from
                 this station's journal, or the keys that let it in) and its connection log
  --app ID       the application (default: the signed-in profile's, or the API token's own)
  --api URL      the platform API (required with KEYLINE_TOKEN; must match the signed-in profile)
  --json         the diagnosis as JSON
  --no-test      do not let the device try its credentials (no login attempt, no state report)
  --data-dir DIR the station's data directory (journal); KEYLINE_DATA_DIR, else the per-user one

Platform access: KEYLINE_TOKEN (an API token, with --api), else the session signed in with the app.
Exit status: 0 no cause found, 1 causes found, 2 usage, 3 the diagnosis could not be made.
`;

const OPTIONS = {
  port: { type: 'string' },
  device: { type: 'string' },
  app: { type: 'string' },
  api: { type: 'string' },
  json: { type: 'boolean', default: false },
  'no-test': { type: 'boolean', default: false },
  'data-dir': { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

const ID = /^[A-Fa-f\d]{24}$/;

function usage(message: string): never {
  throw new KeylineError('CLI_USAGE', `${message}\nusage: ${USAGE}`);
}

interface Access {
  source: InspectPlatformSource;
  close(): Promise<void>;
}

/** KEYLINE_TOKEN with --api, else the session the app signed in; a port alone needs neither. */
async function platformAccess(
  values: { api?: string | undefined },
  io: CliIo,
  dataDir: string,
  redactor: SecretRedactor,
  needed: boolean,
): Promise<Access> {
  const options = { command: 'keyline diagnose', api: values.api, io, dataDir, redactor, usage };
  const access = needed ? await requirePlatformAccess(options) : await cliPlatformAccess(options);
  if (!access) return { source: preferToken(undefined, undefined), close: async () => {} };
  if (access.kind === 'token') {
    return {
      source: tokenPlatformSource({ apiUrl: access.apiUrl, token: access.token, redactor, origin: 'KEYLINE_TOKEN' }),
      close: access.close,
    };
  }
  return { source: sessionPlatformSource(access.auth, redactor), close: access.close };
}

export async function runDiagnose(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, OPTIONS, USAGE);
  if (values.help) {
    io.stdout(HELP);
    return 0;
  }
  if (positionals.length > 0) usage(`unexpected argument "${positionals[0]!.slice(0, 40)}"`);
  if ((values.port === undefined) === (values.device === undefined)) usage('give either --port PATH or --device ID');
  if (values.device !== undefined && !ID.test(values.device)) usage('--device must be a 24-hex device id');
  if (values.app !== undefined && !ID.test(values.app)) usage('--app must be a 24-hex application id');
  if (values['no-test'] && values.port === undefined) usage('--no-test goes with --port');

  const redactor = new SecretRedactor();
  const dataDir = resolveDataDir({ flag: values['data-dir'], env: io.env });
  let access: Access | undefined;
  try {
    access = await platformAccess(values, io, dataDir, redactor, values.device !== undefined);
    const service = new InspectService({
      redactor,
      source: access.source,
      journal: dataDirInspectJournal({ dataDir, redactor, command: 'keyline diagnose' }),
      dataDir,
      station: os.hostname(),
    });
    const diagnosis = await service.diagnose(
      values.port !== undefined
        ? { port: values.port, applicationId: values.app, deviceTest: !values['no-test'] }
        : { deviceId: values.device, applicationId: values.app },
    );
    io.stdout(values.json ? `${safeJson(diagnosis)}\n` : formatDiagnosis(diagnosis));
    return diagnosis.verdict === 'causesFound' ? 1 : 0;
  } catch (error) {
    if (error instanceof KeylineError && error.code !== 'CLI_USAGE') {
      io.stderr(`keyline diagnose: ${redactor.redact(error.message)} [${error.code}]\n`);
      return 3;
    }
    throw error;
  } finally {
    await access?.close();
  }
}

export const diagnoseCommand: CliCommand = {
  name: 'diagnose',
  summary: "Why can't this device connect? Each cause checked (serial port or device id), with the fix.",
  usage: USAGE,
  run: runDiagnose,
};
