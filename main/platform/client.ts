import type { SecretRedactor } from '../security/secret-redactor';
import { normaliseApiUrl } from './api-url';
import { checkId, checkInput } from './checks';
import { systemClock, type Clock } from './clock';
import { DevicesApi } from './devices-api';
import { DeviceCredentials } from './inputs';
import { KeysApi } from './keys-api';
import type { ExchangeRecord, PlatformLogger } from './logger';
import { DEFAULT_RETRY, type RetryPolicy } from './retry';
import { Applications, AuthedDevice, Me, Orgs, type Application, type Org, type Page } from './schemas';
import type { TokenSource } from './token-source';
import { applicationApiTokens, userApiTokens, userOAuthTokens } from './tokens-api';
import { Transport, type CallOptions, type CallResult } from './transport';

export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 5 * 1024 * 1024;

export interface PlatformClientOptions {
  /** `https://api.losant.com`, a self-hosted instance, or the sandbox simulator. */
  apiUrl: string;
  tokens: TokenSource;
  fetch?: typeof fetch;
  clock?: Clock;
  logger?: PlatformLogger;
  retry?: Partial<RetryPolicy>;
  /** Per-attempt timeout (default 15 s). */
  timeoutMs?: number;
  /** Answers larger than this are refused while they stream in (default 5 MiB). */
  maxResponseBytes?: number;
  /** Every credential the platform hands out (key secrets, token strings) is registered here on arrival. */
  redactor?: SecretRedactor;
  /** Plain http off loopback is refused unless this is set (tokens would travel in clear text). */
  allowInsecureHttp?: boolean;
  /** Called after every HTTP exchange, for timing figures. */
  onExchange?: (record: ExchangeRecord) => void;
}

/**
 * The station's typed client of the platform REST API (Losant API 1.30), speaking it as the
 * official losant-rest-js client does. Reads and idempotent calls are retried with bounded,
 * jittered backoff; creates never are. Every answer is validated; every failure is a PlatformError.
 */
export class PlatformClient {
  readonly devices: DevicesApi;
  readonly keys: KeysApi;
  readonly userApiTokens: ReturnType<typeof userApiTokens>;
  readonly oauthTokens: ReturnType<typeof userOAuthTokens>;
  readonly apiUrl: string;
  readonly #transport: Transport;
  readonly #options: PlatformClientOptions;

  constructor(options: PlatformClientOptions) {
    const apiUrl = normaliseApiUrl(options.apiUrl, { allowInsecureHttp: options.allowInsecureHttp ?? false });
    this.#options = options;
    this.apiUrl = apiUrl.href.replace(/\/$/, '');
    this.#transport = new Transport({
      apiUrl,
      fetch: options.fetch ?? globalThis.fetch,
      tokens: options.tokens,
      clock: options.clock ?? systemClock,
      retry: { ...DEFAULT_RETRY, ...options.retry },
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      maxResponseBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
      logger: options.logger,
      redactor: options.redactor,
      onExchange: options.onExchange,
    });
    this.devices = new DevicesApi(this.#transport);
    this.keys = new KeysApi(this.#transport);
    this.userApiTokens = userApiTokens(this.#transport);
    this.oauthTokens = userOAuthTokens(this.#transport);
  }

  /** The same client with another token source (e.g. a device token for the station's own verification). */
  withTokens(tokens: TokenSource): PlatformClient {
    return new PlatformClient({ ...this.#options, tokens });
  }

  /** The API tokens of one application (`/applications/{applicationId}/tokens`). */
  applicationApiTokens(applicationId: string): ReturnType<typeof applicationApiTokens> {
    return applicationApiTokens(this.#transport, applicationId);
  }

  /**
   * `POST /auth/device`, unauthenticated: the key and secret are the credentials. The device token
   * in the answer is registered with the redactor; `release()` unregisters it. A refusal (bad
   * secret, inactive key, key not for this device, device class that cannot connect) is
   * PLATFORM_UNAUTHORIZED with the platform's reason. Retried like a read: it changes nothing.
   */
  async authenticateDevice(credentials: DeviceCredentials, options?: CallOptions): Promise<CallResult<AuthedDevice>> {
    const deviceId = checkId(credentials.deviceId, 'device id');
    const action = `authenticate device ${deviceId} with its access key`;
    const body = checkInput(DeviceCredentials, credentials, action);
    return this.#transport.call(
      {
        method: 'POST',
        path: '/auth/device',
        route: '/auth/device',
        body,
        auth: 'none',
        kind: 'idempotent',
        action,
        bodySecrets: [body.secret, body.key],
        credentialFields: ['token'],
      },
      AuthedDevice,
      options,
    );
  }

  /** `GET /me`: who this session is. */
  async me(options?: CallOptions): Promise<Me> {
    const result = await this.#transport.call(
      { method: 'GET', path: '/me', route: '/me', auth: 'bearer', kind: 'read', action: 'read the signed-in user' },
      Me,
      options,
    );
    return result.value;
  }

  /** `GET /orgs`: the organizations this session can see. */
  async orgs(options?: CallOptions): Promise<Page<Org>> {
    const result = await this.#transport.call(
      { method: 'GET', path: '/orgs', route: '/orgs', auth: 'bearer', kind: 'read', action: 'list organizations' },
      Orgs,
      options,
    );
    return result.value;
  }

  /** `GET /applications[?orgId=]`: the applications this session can see, of one organization if given. */
  async applications(orgId?: string, options?: CallOptions): Promise<Page<Application>> {
    const query = orgId === undefined ? {} : { orgId: checkId(orgId, 'organization id') };
    const result = await this.#transport.call(
      {
        method: 'GET',
        path: '/applications',
        route: '/applications',
        query,
        auth: 'bearer',
        kind: 'read',
        action: orgId === undefined ? 'list applications' : `list the applications of organization ${orgId}`,
      },
      Applications,
      options,
    );
    return result.value;
  }
}
