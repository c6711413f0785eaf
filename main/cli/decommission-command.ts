import os from 'node:os';
import { KeylineError } from '../../common/errors';
import { parseCommandLine } from '../host/args';
import { PlatformClient } from '../platform';
import { SettingsStore } from '../provisioning';
import { SecretRedactor } from '../security/secret-redactor';
import { decommission, JournalOwner, serialOpener } from '../station';
import { resolveDataDir } from '../storage/data-dir';
import type { CliCommand } from './commands';
import { requirePlatformAccess } from './platform-access';

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
    const creds = await requirePlatformAccess({
      command: 'keyline decommission',
      api: values.api,
      operator: values.operator,
      io,
      dataDir,
      redactor,
      usage,
    });
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
