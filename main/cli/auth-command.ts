import { spawn } from 'node:child_process';
import { AuthService } from '../auth';
import { parseCommandLine } from '../host/args';
import { SecretRedactor } from '../security/secret-redactor';
import { resolveDataDir } from '../storage/data-dir';
import type { CliCommand, CliIo } from './commands';

const USAGE = 'keyline auth status|sign-in|sign-out|check [--profile ID] [--device] [--data-dir DIR]';

function openInBrowser(url: string): void {
  const command = process.platform === 'win32' ? 'cmd' : process.platform === 'darwin' ? 'open' : 'xdg-open';
  const args = process.platform === 'win32' ? ['/c', 'start', '', url] : [url];
  const child = spawn(command, args, { stdio: 'ignore', detached: true });
  child.on('error', () => undefined);
  child.unref();
}

function describe(service: AuthService, io: CliIo): void {
  const state = service.state();
  if (state.status === 'signedIn') {
    io.stdout(`Signed in as ${state.account.name} <${state.account.email}> on profile ${state.profileId}\n`);
    io.stdout(`Scopes: ${state.scopes.join(' ')}\n`);
    if (state.roleCap) io.stdout(`Role cap: ${state.roleCap}\n`);
    if (state.expiresAt) io.stdout(`Access token valid until ${state.expiresAt} (renews by itself)\n`);
    io.stdout(`Refresh token kept in: ${state.persistence === 'keychain' ? 'the system keychain' : 'memory only'}\n`);
    if (state.warning) io.stdout(`Warning: ${state.warning}\n`);
  } else if (state.status === 'signedOut') {
    io.stdout(state.problem ? `Signed out: ${state.problem.message}\n` : 'Signed out.\n');
  }
}

/**
 * `keyline auth`: the technician's sign-in from a terminal, sharing profiles, keychain entries and
 * the renewal lock with the app. It prints who is signed in, never a token.
 */
export const authCommand: CliCommand = {
  name: 'auth',
  summary: 'Sign in to the platform (device code or browser), show the session, check it, or sign out.',
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parseCommandLine(
      argv,
      {
        profile: { type: 'string' },
        device: { type: 'boolean', default: false },
        'data-dir': { type: 'string' },
      },
      USAGE,
    );
    const action = positionals[0] ?? 'status';
    if (!['status', 'sign-in', 'sign-out', 'check'].includes(action) || positionals.length > 1) {
      io.stderr(`keyline auth: unknown action "${positionals.join(' ')}"\nusage: ${USAGE}\n`);
      return 2;
    }
    const service = new AuthService({
      dataDir: resolveDataDir({ flag: values['data-dir'], env: io.env }),
      redactor: new SecretRedactor(),
      openExternal: (url) => {
        io.stdout(`Opening the sign-in page in your browser. If nothing opens, visit:\n  ${url}\n`);
        openInBrowser(url);
      },
      emit: {
        sessionChanged: () => undefined,
        deviceCode: (prompt) =>
          io.stdout(
            `On any device, open ${prompt.verificationUri} and enter the code ${prompt.userCode}\n` +
              `(valid until ${prompt.expiresAt}). Waiting…\n`,
          ),
      },
    });
    const stop = new AbortController();
    const onSignal = () => stop.abort();
    process.once('SIGINT', onSignal);
    try {
      await service.start();
      await service.ready();
      if (action === 'sign-in') {
        const profileId = values.profile ?? (await service.profiles.list()).activeProfileId ?? 'losant';
        await service.signIn(profileId, values.device ? 'device' : 'browser', stop.signal);
        io.stdout('Signed in. On the consent page, a Maximum role of Collaborator is all Keyline needs.\n');
      } else if (action === 'sign-out') {
        await service.signOut(stop.signal);
      } else if (action === 'check') {
        const summary = await service.accountSummary(stop.signal);
        io.stdout(
          `The platform accepts the sign-in of ${summary.account.email}; ` +
            `${summary.applications.length} application(s) reachable.\n`,
        );
      }
      describe(service, io);
      return service.state().status === 'signedIn' || action === 'sign-out' || action === 'status' ? 0 : 1;
    } finally {
      process.off('SIGINT', onSignal);
      await service.close();
    }
  },
};
