import { decodeJwt } from 'jose';
import type { SessionState } from '../../common/contract/auth';
import { parseScopeClaim } from '../../common/platform/scopes';
import type { AccessTokenProvider } from '../auth';
import { PlatformClient, staticTokenSource, type TokenSource } from '../platform';
import type { SecretRedactor } from '../security/secret-redactor';
import { InspectError } from './inspect-error';

type RoleCap = 'admin' | 'edit' | 'collaborate' | 'view' | 'none';

/** The platform the inspector looks things up on, and as whom. */
export interface InspectPlatform {
  source: 'session' | 'apiToken';
  /** For the screen: "Sam Rivera (sam@…)", "API token 65f… (KEYLINE_TOKEN)". */
  who: string;
  /** For the journal: who did it. */
  operator: string;
  apiUrl: string;
  client: PlatformClient;
  /** The granted scopes as far as the station knows them; undefined when it cannot tell. */
  scopes: string[] | undefined;
  roleCap: RoleCap | null;
  userId: string | null;
  defaultApplication: { id: string; name: string | null } | null;
  /** The id of the platform token record this station itself uses (OAuth token or API token), if readable. */
  ownTokenId(signal?: AbortSignal): Promise<string | undefined>;
}

/** Where the inspector gets its platform: throws a typed error (AUTH_SIGNED_OUT, INSPECT_NO_PLATFORM) when there is none. */
export interface InspectPlatformSource {
  current(signal?: AbortSignal): Promise<InspectPlatform>;
}

/** The part of the sign-in service the inspector uses (main/auth's AuthService). */
export interface InspectSession extends AccessTokenProvider {
  state(): SessionState;
  target(): Promise<{ apiUrl: string; application: { id: string; name: string } | null }>;
}

/** The technician's OAuth session as the platform client's token source (refresh after a 401 included). */
export function sessionTokenSource(session: AccessTokenProvider): TokenSource {
  return {
    getAccessToken: (signal) => session.getAccessToken(signal),
    refreshAfterUnauthorized: (rejected, signal) => session.refreshAfter401(rejected, signal),
  };
}

/** Reads one claim of a token the station holds, without verifying it (the platform does that). */
function claim(token: string, name: string): unknown {
  try {
    return decodeJwt(token)[name];
  } catch {
    return undefined;
  }
}

/** One client per API URL, kept while the URL stays the same (connections are reused). */
function clientCache(redactor: SecretRedactor, tokens: TokenSource) {
  let cached: { apiUrl: string; client: PlatformClient } | undefined;
  return (apiUrl: string): PlatformClient => {
    if (cached?.apiUrl !== apiUrl) cached = { apiUrl, client: new PlatformClient({ apiUrl, tokens, redactor }) };
    return cached.client;
  };
}

/** Lookups as the signed-in technician or support engineer. */
export function sessionPlatformSource(session: InspectSession, redactor: SecretRedactor): InspectPlatformSource {
  const tokens = sessionTokenSource(session);
  const clientFor = clientCache(redactor, tokens);
  return {
    async current() {
      const state = session.state();
      if (state.status !== 'signedIn') {
        throw new InspectError(
          'INSPECT_NO_PLATFORM',
          state.status === 'signingIn'
            ? 'A sign-in is under way: finish it, then look again.'
            : 'No one is signed in: sign in on the Settings screen to look up keys, tokens and devices.',
        );
      }
      const target = await session.target();
      const { account } = state;
      return {
        source: 'session',
        who: `${account.name || account.email} (${account.email})`,
        operator: account.email,
        apiUrl: target.apiUrl,
        client: clientFor(target.apiUrl),
        scopes: state.scopes,
        roleCap: state.roleCap,
        userId: account.userId,
        defaultApplication: target.application,
        async ownTokenId(signal) {
          const id = claim(await session.getAccessToken(signal), 'oauthTokenId');
          return typeof id === 'string' ? id : undefined;
        },
      };
    },
  };
}

/**
 * Lookups with an API token given to the station (`KEYLINE_TOKEN` for the CLI, the web host's
 * inspector variables). Its scopes are read from its claims without trusting them: they only
 * decide what the screen offers; the platform still decides what is allowed.
 */
export function tokenPlatformSource(options: {
  apiUrl: string;
  token: string;
  redactor: SecretRedactor;
  /** Where the token came from, for the screen ("KEYLINE_TOKEN"). */
  origin: string;
}): InspectPlatformSource {
  const { token, redactor } = options;
  redactor.add(token);
  const client = new PlatformClient({ apiUrl: options.apiUrl, tokens: staticTokenSource(token), redactor });
  const tokenId = claim(token, 'sub');
  const appId = claim(token, 'appId');
  const userId = claim(token, 'userId');
  const id = typeof tokenId === 'string' ? tokenId : undefined;
  const who = `API token${id ? ` ${id}` : ''} (${options.origin})`;
  const platform: InspectPlatform = {
    source: 'apiToken',
    who,
    operator: who,
    apiUrl: client.apiUrl,
    client,
    scopes: parseScopeClaim(claim(token, 'scope')),
    roleCap: null,
    userId: typeof userId === 'string' ? userId : null,
    defaultApplication: typeof appId === 'string' ? { id: appId, name: null } : null,
    ownTokenId: () => Promise.resolve(id),
  };
  return { current: () => Promise.resolve(platform) };
}

/** The API token source wins when the station was given one; else the signed-in session. */
export function preferToken(
  token: InspectPlatformSource | undefined,
  session: InspectPlatformSource | undefined,
): InspectPlatformSource {
  const chosen = token ?? session;
  if (chosen) return chosen;
  return {
    current: () =>
      Promise.reject(
        new InspectError(
          'INSPECT_NO_PLATFORM',
          'No platform to look things up on: sign in, or give the station an API token.',
        ),
      ),
  };
}
