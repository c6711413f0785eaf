import { PlatformError } from './errors';

/**
 * Where the client gets its bearer token. The sign-in area implements this over the OAuth session
 * (access token in memory, refresh token in the keychain); the CLI uses a static API token.
 */
export interface TokenSource {
  /** The token to send now. */
  getAccessToken(signal?: AbortSignal): Promise<string>;
  /**
   * The platform answered 401 to `rejectedToken`. Returns a different, fresh token to retry with
   * once, or undefined when there is none (a static API token, a revoked session). Lanes that were
   * refused together all call this with the same token: implementations refresh once for them.
   */
  refreshAfterUnauthorized(rejectedToken: string, signal?: AbortSignal): Promise<string | undefined>;
}

/**
 * A token that cannot be refreshed: an application or user API token (`KEYLINE_TOKEN` on automated
 * lines) or a device token from `/auth/device`. A 401 with it is final.
 */
export function staticTokenSource(token: string): TokenSource {
  return {
    getAccessToken: () => Promise.resolve(token),
    refreshAfterUnauthorized: () => Promise.resolve(undefined),
  };
}

/**
 * The API token of an automated line, from `KEYLINE_TOKEN`, or undefined when it is not set. The
 * caller registers it with the redactor: it is a credential like any other.
 */
export function envTokenSource(env: NodeJS.ProcessEnv = process.env): TokenSource | undefined {
  const token = env['KEYLINE_TOKEN']?.trim();
  return token ? staticTokenSource(token) : undefined;
}

/**
 * For a client that only makes the unauthenticated call (`authenticateDevice`): any call that needs
 * a bearer token fails with PLATFORM_UNAUTHORIZED instead of sending a request.
 */
export function noTokenSource(): TokenSource {
  const refuse = () =>
    Promise.reject(
      new PlatformError('PLATFORM_UNAUTHORIZED', 'No one is signed in: sign in, or set KEYLINE_TOKEN, and try again.'),
    );
  return { getAccessToken: refuse, refreshAfterUnauthorized: () => Promise.resolve(undefined) };
}
