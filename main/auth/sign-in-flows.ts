import * as oauth from 'oauth4webapi';
import { AuthError } from './auth-error';
import { startLoopbackListener } from './loopback-listener';
import type { DeviceAuthorization, OAuthClient } from './oauth-client';
import type { TokenSet } from './token-set';
import { isLoopbackHost } from './server-url';

/** Opens a URL in the technician's browser: `shell.openExternal` in Electron, a new tab in the web host. */
export type OpenExternal = (url: string) => Promise<void> | void;

/**
 * The only check between metadata (untrusted) and the system browser: the URL must be the
 * discovered authorization endpoint (same origin and path), over https or loopback http, with no
 * credentials in it. Anything else is refused before it reaches `openExternal`.
 */
export function vetAuthorizationUrl(url: URL, as: oauth.AuthorizationServer): URL {
  const endpoint = as.authorization_endpoint ? new URL(as.authorization_endpoint) : undefined;
  const safeScheme = url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
  if (!endpoint || !safeScheme || url.username || url.password) {
    throw new AuthError('AUTH_UNVETTED_URL', 'Keyline refused to open a sign-in address that is not the server’s own');
  }
  if (url.origin !== endpoint.origin || url.pathname !== endpoint.pathname) {
    throw new AuthError(
      'AUTH_UNVETTED_URL',
      `Keyline refused to open ${url.host}${url.pathname.slice(0, 80)}: it is not the authorization endpoint of ${endpoint.host}`,
    );
  }
  return url;
}

export interface BrowserSignInOptions<T> {
  client: OAuthClient;
  scopes: string;
  openExternal: OpenExternal;
  signal: AbortSignal;
  timeoutMs?: number;
  /** Registers a value with the station's redactor while it is in flight; returns the release. */
  protect: (secret: string) => () => void;
  /** Completes the sign-in with the tokens; the browser page reports its outcome. */
  finish: (tokens: TokenSet) => Promise<T>;
}

/**
 * Authorization code + PKCE S256 through the system browser and a one-shot loopback listener
 * (RFC 8252). The browser shows the outcome only after `finish` ran, so "signed in" there means it.
 */
export async function signInWithBrowser<T>(options: BrowserSignInOptions<T>): Promise<T> {
  const { client } = options;
  const listener = await startLoopbackListener({ timeoutMs: options.timeoutMs, signal: options.signal });
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const releaseVerifier = options.protect(codeVerifier);
  try {
    const state = oauth.generateRandomState();
    const url = vetAuthorizationUrl(
      await client.authorizationUrl({ redirectUri: listener.redirectUri, scopes: options.scopes, state, codeVerifier }),
      client.as,
    );
    await options.openExternal(url.href);
    const callback = await listener.callback;
    const code = callback.params.get('code');
    const releaseCode = code ? options.protect(code) : () => undefined;
    try {
      const params = client.validateCallback(callback.params, state);
      const tokens = await client.exchangeCode(
        params,
        listener.redirectUri,
        codeVerifier,
        options.scopes,
        options.signal,
      );
      const result = await options.finish(tokens);
      await callback.respond({ ok: true });
      return result;
    } catch (error) {
      const message = error instanceof AuthError ? error.message : 'Keyline could not finish the sign-in.';
      await callback.respond({ ok: false, message });
      throw error;
    } finally {
      releaseCode();
    }
  } finally {
    releaseVerifier();
    await listener.close();
  }
}

export interface DeviceSignInOptions {
  client: OAuthClient;
  scopes: string;
  signal: AbortSignal;
  /** Shows the user code and the verification address to the technician. */
  prompt: (device: DeviceAuthorization) => void;
  protect: (secret: string) => () => void;
}

/** RFC 8628 for stations without a usable browser: show the code, poll until it is entered. */
export async function signInWithDevice(options: DeviceSignInOptions): Promise<TokenSet> {
  const device = await options.client.startDeviceAuthorization(options.scopes, options.signal);
  const release = options.protect(device.deviceCode);
  try {
    options.prompt(device);
    return await options.client.pollDeviceAuthorization(device, options.scopes, options.signal);
  } finally {
    release();
  }
}
