import * as oauth from 'oauth4webapi';
import { AuthError, toAuthError } from './auth-error';
import { systemClock, type Clock } from './clock';
import { requestOptions, type FetchLike } from './discovery';
import { serverName } from './server-url';
import { toTokenSet, type TokenSet } from './token-set';

const REQUEST_TIMEOUT_MS = 20_000;

export interface OAuthClientOptions {
  fetch?: FetchLike;
  clock?: Clock;
}

export interface DeviceAuthorization {
  deviceCode: string;
  userCode: string;
  verificationUri: string;
  verificationUriComplete: string | null;
  /** Epoch ms. */
  expiresAt: number;
  intervalMs: number;
}

/**
 * oauth4webapi calls for one authorization server and one public client (no client secret:
 * a desktop app cannot keep one). Every failure becomes a typed AuthError.
 */
export class OAuthClient {
  readonly as: oauth.AuthorizationServer;
  readonly client: oauth.Client;
  readonly #issuer: URL;
  readonly #server: string;
  readonly #fetch: FetchLike | undefined;
  readonly #clock: Clock;

  constructor(as: oauth.AuthorizationServer, clientId: string, options: OAuthClientOptions = {}) {
    this.as = as;
    this.client = { client_id: clientId, token_endpoint_auth_method: 'none' };
    this.#issuer = new URL(as.issuer);
    this.#server = serverName(this.#issuer);
    this.#fetch = options.fetch;
    this.#clock = options.clock ?? systemClock;
  }

  get server(): string {
    return this.#server;
  }

  /** The authorization URL for code + PKCE S256, on the discovered endpoint only. */
  async authorizationUrl(params: {
    redirectUri: string;
    scopes: string;
    state: string;
    codeVerifier: string;
  }): Promise<URL> {
    const url = new URL(this.as.authorization_endpoint!);
    url.searchParams.set('client_id', this.client.client_id);
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('redirect_uri', params.redirectUri);
    url.searchParams.set('scope', params.scopes);
    url.searchParams.set('state', params.state);
    url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(params.codeVerifier));
    url.searchParams.set('code_challenge_method', 'S256');
    return url;
  }

  /**
   * Checks the redirect's parameters: our `state`, the right issuer (RFC 9207 `iss`), then the
   * error or the code. The first two are checked here so each gets its own error code.
   */
  validateCallback(params: URLSearchParams, expectedState: string): URLSearchParams {
    if (params.get('state') !== expectedState) {
      throw new AuthError(
        'AUTH_STATE_MISMATCH',
        'The sign-in answer does not belong to the sign-in Keyline started (state mismatch); start again',
      );
    }
    const iss = params.get('iss');
    if (
      (iss !== null && iss !== this.as.issuer) ||
      (iss === null && this.as.authorization_response_iss_parameter_supported)
    ) {
      throw new AuthError('AUTH_ISSUER_MISMATCH', `The sign-in answer did not come from ${this.#server}; start again`);
    }
    try {
      return oauth.validateAuthResponse(this.as, this.client, params, expectedState);
    } catch (error) {
      throw toAuthError(error, 'checking the sign-in answer', this.#server);
    }
  }

  async exchangeCode(
    callbackParams: URLSearchParams,
    redirectUri: string,
    codeVerifier: string,
    scopes: string,
    signal?: AbortSignal,
  ): Promise<TokenSet> {
    return this.#tokenCall(
      'exchanging the sign-in code',
      scopes,
      async (options) => {
        const response = await oauth.authorizationCodeGrantRequest(
          this.as,
          this.client,
          oauth.None(),
          callbackParams,
          redirectUri,
          codeVerifier,
          options,
        );
        return oauth.processAuthorizationCodeResponse(this.as, this.client, response);
      },
      signal,
    );
  }

  async refresh(refreshToken: string, scopes: string, signal?: AbortSignal): Promise<TokenSet> {
    return this.#tokenCall(
      'renewing the sign-in',
      scopes,
      async (options) => {
        const response = await oauth.refreshTokenGrantRequest(
          this.as,
          this.client,
          oauth.None(),
          refreshToken,
          options,
        );
        return oauth.processRefreshTokenResponse(this.as, this.client, response);
      },
      signal,
    );
  }

  /** RFC 7009. Returns false when the server has no revocation endpoint. */
  async revoke(refreshToken: string, signal?: AbortSignal): Promise<boolean> {
    if (!this.as.revocation_endpoint) return false;
    try {
      const response = await oauth.revocationRequest(this.as, this.client, oauth.None(), refreshToken, {
        ...requestOptions(this.#issuer, signal ?? AbortSignal.timeout(REQUEST_TIMEOUT_MS), this.#fetch),
        additionalParameters: { token_type_hint: 'refresh_token' },
      });
      await oauth.processRevocationResponse(response);
      return true;
    } catch (error) {
      throw toAuthError(error, 'revoking the sign-in', this.#server);
    }
  }

  /** RFC 8628 §3.1: ask for a device code and a user code. */
  async startDeviceAuthorization(scopes: string, signal?: AbortSignal): Promise<DeviceAuthorization> {
    if (!this.as.device_authorization_endpoint) {
      throw new AuthError('AUTH_SERVER_ERROR', `${this.#server} does not offer device sign-in; use the browser`);
    }
    try {
      const response = await oauth.deviceAuthorizationRequest(
        this.as,
        this.client,
        oauth.None(),
        { scope: scopes },
        requestOptions(this.#issuer, signal ?? AbortSignal.timeout(REQUEST_TIMEOUT_MS), this.#fetch),
      );
      const answer = await oauth.processDeviceAuthorizationResponse(this.as, this.client, response);
      return {
        deviceCode: answer.device_code,
        userCode: answer.user_code,
        verificationUri: answer.verification_uri,
        verificationUriComplete: answer.verification_uri_complete ?? null,
        expiresAt: this.#clock.now() + answer.expires_in * 1000,
        intervalMs: (answer.interval ?? 5) * 1000,
      };
    } catch (error) {
      throw toAuthError(error, 'asking for a device code', this.#server);
    }
  }

  /**
   * RFC 8628 §3.4-3.5: polls the token endpoint at the server's interval; `slow_down` adds 5 s
   * for every later poll. A few network failures in a row are tolerated (a flaky bench network).
   */
  async pollDeviceAuthorization(device: DeviceAuthorization, scopes: string, signal: AbortSignal): Promise<TokenSet> {
    let interval = device.intervalMs;
    let networkFailures = 0;
    for (;;) {
      await this.#clock.sleep(interval, signal);
      if (this.#clock.now() >= device.expiresAt) {
        throw new AuthError('AUTH_DEVICE_CODE_EXPIRED', 'The device code expired before it was entered; start again');
      }
      try {
        return await this.#tokenCall(
          'waiting for the device code',
          scopes,
          async (options) => {
            const response = await oauth.deviceCodeGrantRequest(
              this.as,
              this.client,
              oauth.None(),
              device.deviceCode,
              options,
            );
            return oauth.processDeviceCodeResponse(this.as, this.client, response);
          },
          signal,
        );
      } catch (error) {
        const word = pendingWord(error);
        if (word === 'authorization_pending') {
          networkFailures = 0;
          continue;
        }
        if (word === 'slow_down') {
          networkFailures = 0;
          interval += 5_000;
          continue;
        }
        if (isAuthErrorCode(error, 'AUTH_NETWORK') && ++networkFailures < 3) continue;
        throw error;
      }
    }
  }

  async #tokenCall(
    action: string,
    scopes: string,
    call: (options: ReturnType<typeof requestOptions>) => Promise<oauth.TokenEndpointResponse>,
    signal: AbortSignal | undefined,
  ): Promise<TokenSet> {
    const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    try {
      const response = await call(requestOptions(this.#issuer, combined, this.#fetch));
      return toTokenSet(response, scopes, this.#clock.now());
    } catch (error) {
      if (error instanceof oauth.ResponseBodyError && ['authorization_pending', 'slow_down'].includes(error.error)) {
        throw new DevicePending(error.error);
      }
      // An abort by the caller is a cancel; by our own timer, a network timeout.
      if (signal?.aborted) throw toAuthError(signal.reason ?? error, action, this.#server);
      throw toAuthError(timeout.aborted ? timeout.reason : error, action, this.#server);
    }
  }
}

/** Not an error a caller ever sees: the device poll loop turns it into another wait. */
class DevicePending extends Error {
  constructor(readonly word: string) {
    super(word);
  }
}

function pendingWord(error: unknown): string | undefined {
  return error instanceof DevicePending ? error.word : undefined;
}

function isAuthErrorCode(error: unknown, code: string): boolean {
  return error instanceof AuthError && error.code === code;
}
