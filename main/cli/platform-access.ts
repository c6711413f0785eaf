import os from 'node:os';
import { KeylineError } from '../../common/errors';
import { AuthService } from '../auth';
import { staticTokenSource, type TokenSource } from '../platform';
import { sessionTokenSource } from '../provisioning/adapters/station-target';
import type { SecretRedactor } from '../security/secret-redactor';
import type { CliIo } from './commands';

/** How a command reaches the platform: an API token, or the session the app signed in. */
export type CliPlatformAccess =
  | {
      kind: 'token';
      /** The raw token, for sources that take one (already registered with the redactor). */
      token: string;
      tokens: TokenSource;
      apiUrl: string;
      operator: string;
      /** An API token names no application of its own: --app does. */
      applicationId?: undefined;
      close(): Promise<void>;
    }
  | {
      kind: 'session';
      auth: AuthService;
      tokens: TokenSource;
      apiUrl: string;
      operator: string;
      /** The application chosen at sign-in, if any. */
      applicationId?: string;
      close(): Promise<void>;
    };

export interface CliPlatformAccessOptions {
  /** The command, for messages ("keyline provision cannot sign in"). */
  command: string;
  api?: string | undefined;
  operator?: string | undefined;
  io: CliIo;
  dataDir: string;
  redactor: SecretRedactor;
  /** Throws the command's usage error (exit status 2). */
  usage: (message: string) => never;
}

const normalise = (url: string) => url.replace(/\/+$/, '');

/**
 * KEYLINE_TOKEN (a scoped API token, with --api) for automated lines, else the OAuth session of the
 * active profile that a technician signed in with the app on this machine (its refresh token stays
 * in the keychain). A CLI never signs in itself: it has no browser to offer. Undefined when no one
 * is signed in and no token is given; `requirePlatformAccess` turns that into the error to show.
 */
export async function cliPlatformAccess(options: CliPlatformAccessOptions): Promise<CliPlatformAccess | undefined> {
  const { command, api, io, redactor } = options;
  const token = io.env['KEYLINE_TOKEN']?.trim();
  if (token) {
    redactor.add(token);
    if (!api) options.usage('--api is required with KEYLINE_TOKEN');
    return {
      kind: 'token',
      token,
      tokens: staticTokenSource(token),
      apiUrl: api,
      operator: options.operator ?? io.env['KEYLINE_OPERATOR'] ?? `api-token (${os.userInfo().username})`,
      close: async () => undefined,
    };
  }
  const auth = new AuthService({
    dataDir: options.dataDir,
    redactor,
    openExternal: () => {
      throw new KeylineError('CLI_USAGE', `${command} cannot sign in: sign in with the Keyline app first`);
    },
    emit: { sessionChanged: () => undefined, deviceCode: () => undefined },
  });
  await auth.start();
  await auth.ready();
  const state = auth.state();
  if (state.status !== 'signedIn') {
    await auth.close();
    return undefined;
  }
  const target = await auth.target();
  // A session for another platform would provision into the wrong place: refuse rather than guess.
  if (api && normalise(api) !== normalise(target.apiUrl)) {
    await auth.close();
    options.usage(
      `The signed-in profile is for ${target.apiUrl}, not ${api}: sign in to that platform with the app, or set KEYLINE_TOKEN`,
    );
  }
  return {
    kind: 'session',
    auth,
    tokens: sessionTokenSource(auth),
    apiUrl: target.apiUrl,
    operator: options.operator ?? state.account.email,
    ...(target.application ? { applicationId: target.application.id } : {}),
    close: () => auth.close(),
  };
}

/** As `cliPlatformAccess`, for commands that cannot work without the platform. */
export async function requirePlatformAccess(options: CliPlatformAccessOptions): Promise<CliPlatformAccess> {
  const access = await cliPlatformAccess(options);
  if (access) return access;
  throw new KeylineError(
    'AUTH_SIGNED_OUT',
    'No one is signed in on this station: sign in with the Keyline app (or `keyline web`), or set KEYLINE_TOKEN to a scoped API token and give --api',
  );
}
