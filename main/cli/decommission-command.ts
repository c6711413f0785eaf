import os from 'node:os';
import { KeylineError } from '../../common/errors';
import { AuthService } from '../auth';
import { parseCommandLine } from '../host/args';
import { PlatformClient, staticTokenSource, type TokenSource } from '../platform';
import { SettingsStore } from '../provisioning';
import { SecretRedactor } from '../security/secret-redactor';
import { decommission, JournalOwner, serialOpener } from '../station';
import { resolveDataDir } from '../storage/data-dir';
import type { CliCommand, CliIo } from './commands';

const USAGE =
  'keyline decommission --port PATH [--delete-device] [--api URL] [--app ID] [--work-order WO] ' +
  '[--data-dir DIR] [--station NAME] [--operator NAME] [--json]';

const OPTIONS = {
  port: { type: 'string' },
  'delete-device': { type: 'boolean', default: false },
  api: { type: 'string' },
  app: { type: 'string' },
  'work-order': { type: 'string' },
  'data-dir': { type: 'string' },
  station: { type: 'string' },
  operator: { type: 'string' },
  json: { type: 'boolean', default: false },
} as const;

function usage(message: string): never {
  throw new KeylineError('CLI_USAGE', `${message}\nusage: ${USAGE}`);
}

interface Access {
  tokens: TokenSource;
  apiUrl: string;
  applicationId: string | undefined;
  operator: string;
  close(): Promise<void>;
}

/** KEYLINE_TOKEN (with --api), or the OAuth session a technician started in the app on this machine. */
async function access(
  values: { api?: string; app?: string; operator?: string },
  io: CliIo,
  dataDir: string,
  redactor: SecretRedactor,
): Promise<Access> {
  const token = io.env['KEYLINE_TOKEN'];
  if (token) {
    redactor.add(token);
    if (!values.api) usage('--api is required with KEYLINE_TOKEN');
    return {
      tokens: staticTokenSource(token),
      apiUrl: values.api,
      applicationId: values.app,
      operator: values.operator ?? io.env['KEYLINE_OPERATOR'] ?? `api-token (${os.userInfo().username})`,
      close: async () => undefined,
    };
  }
  const auth = new AuthService({
    dataDir,
    redactor,
    openExternal: () => {
      throw new KeylineError('CLI_USAGE', 'keyline decommission cannot sign in: sign in with the Keyline app first');
    },
    emit: { sessionChanged: () => undefined, deviceCode: () => undefined },
  });
  await auth.start();
  await auth.ready();
  const state = auth.state();
  if (state.status !== 'signedIn') {
    await auth.close();
    throw new KeylineError(
      'AUTH_SIGNED_OUT',
      'No one is signed in on this station: sign in with the Keyline app (or `keyline web`), or set KEYLINE_TOKEN to a scoped API token',
    );
  }
  const target = await auth.target();
  return {
    tokens: {
      getAccessToken: (signal) => auth.getAccessToken(signal),
      refreshAfterUnauthorized: (rejected, signal) => auth.refreshAfter401(rejected, signal),
    },
    apiUrl: target.apiUrl,
    applicationId: values.app ?? target.application?.id,
    operator: values.operator ?? state.account.email,
    close: () => auth.close(),
  };
}

/**
 * `keyline decommission --port PATH`: takes a returned unit out of service, as the Devices screen
 * does — wipe, delete its own keys, untag (or delete) its platform device — and journals it.
 * Exit 0 only when every step passed.
 */
export const decommissionCommand: CliCommand = {
  name: 'decommission',
  summary: 'Take the unit on a port out of service: wipe it, delete its keys, untag or delete its platform device.',
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parseCommandLine(argv, OPTIONS, USAGE);
    if (positionals.length > 0) usage(`unexpected argument "${positionals[0]}"`);
    if (!values.port) usage('--port is required');
    if (values.app !== undefined && !/^[A-Fa-f\d]{24}$/.test(values.app)) {
      usage(`--app must be a 24-hex application id, not "${values.app}"`);
    }
    const dataDir = resolveDataDir({ flag: values['data-dir'], env: io.env });
    const redactor = new SecretRedactor();
    const creds = await access(values, io, dataDir, redactor);
    const settings = await new SettingsStore(dataDir).get().catch(() => undefined);
    const applicationId = values.app ?? settings?.applicationId ?? creds.applicationId;
    if (!applicationId) {
      await creds.close();
      usage('--app is required (no application is chosen in the app)');
    }
    const client = new PlatformClient({ apiUrl: creds.apiUrl, tokens: creds.tokens, redactor });
    const workOrder = values['work-order'];
    const journal = new JournalOwner({
      dataDir,
      redactor,
      command: 'keyline decommission',
      workOrderOf: () => workOrder,
    });
    try {
      const result = await decommission(values.port, values['delete-device'] ? 'delete' : 'untag', {
        opener: serialOpener({ redactor }),
        platform: async () => ({ client, applicationId, apiUrl: creds.apiUrl, operator: creds.operator }),
        append: (entry) => journal.append(entry),
        station: values.station ?? io.env['KEYLINE_STATION'] ?? os.hostname(),
        ...(workOrder ? { workOrder } : {}),
      });
      if (values.json) {
        io.stdout(`${JSON.stringify(result)}\n`);
      } else {
        for (const step of result.steps) io.stdout(`${step.status.padEnd(7)} ${step.step}: ${step.message}\n`);
        io.stdout(
          `${result.outcome === 'passed' ? 'Decommissioned' : 'Decommission FAILED'}: ${result.hwid ?? values.port} (${result.runId})\n`,
        );
      }
      return result.outcome === 'passed' ? 0 : 1;
    } finally {
      await journal.close();
      await creds.close();
    }
  },
};
