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
