import type { z } from 'zod';
import { LOOK_IT_UP, redirectError, shapeError, unusableBodyError } from './answer-errors';
import type { SecretRedactor } from '../security/secret-redactor';
import type { Clock } from './clock';
import { refusalError, isScopeRefusal, type RefusalContext } from './error-mapping';
import { PlatformError, sanitisePlatformMessage } from './errors';
import { describeConnectionFailure } from './connection-failure';
import type { ExchangeRecord, PlatformLogger } from './logger';
import { encodeQuery, type QueryValue } from './query';
import { BodyError, readJson } from './read-body';
import { backoffDelay, parseRetryAfter, type RetryPolicy } from './retry';
import type { TokenSource } from './token-source';

/** The official client's version pin; the platform answers in the 1.30 shape to it. */
export const ACCEPT_VERSION = '^1.30.0';
/** Error bodies are small; a big one is not read further. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;
/** Visible ASCII only: anything else in a header would make fetch throw with the value in the message. */
const HEADER_SAFE_TOKEN = /^[\x21-\x7e]+$/;

export interface TransportConfig {
  apiUrl: URL;
  fetch: typeof fetch;
  tokens: TokenSource;
  clock: Clock;
  retry: RetryPolicy;
  timeoutMs: number;
  maxResponseBytes: number;
  logger: PlatformLogger | undefined;
  redactor: SecretRedactor | undefined;
  onExchange: ((record: ExchangeRecord) => void) | undefined;
}

/**
 * `read`: GET, retried. `idempotent`: PATCH, DELETE and device authentication, retried (the same
 * request twice leaves the same result). `create`: never retried, and a lost answer is reported
 * with `outcomeUnknown` so that the caller looks the object up first.
 */
export type CallKind = 'read' | 'idempotent' | 'create';

export interface CallSpec {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** The path with its ids already checked, such as `/applications/5f…/keys`. */
  path: string;
  /** The path template, for logs: `/applications/{applicationId}/keys`. */
  route: string;
  query?: Record<string, QueryValue>;
  body?: unknown;
  auth: 'bearer' | 'none';
  kind: CallKind;
  /** Plain words for messages: "create an access key in application 5f…". */
  action: string;
  /** Credentials in the request body, scrubbed from any platform message echoed in an error. */
  bodySecrets?: readonly string[];
  /** Fields of the answer holding a credential: registered with the redactor the moment they arrive. */
  credentialFields?: readonly string[];
  /** A DELETE whose earlier attempt had an unknown outcome treats a 404 as done. */
  goneIsDone?: boolean;
}

export interface CallOptions {
  signal?: AbortSignal;
  /** Per-attempt timeout for this call, instead of the client's default. */
  timeoutMs?: number;
}

export interface CallResult<T> {
  value: T;
  /** Releases the redactor registrations of the credentials in this answer. */
  release: () => void;
}

type Attempt =
  | { ok: true; value: unknown; status: number }
  | { ok: false; refusal: RefusalContext }
  | { ok: false; error: PlatformError; retryable: boolean };

function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status !== 501 && status !== 505);
}

/** Sends one call: headers and query as the official client, timeouts, retries, 401 refresh, typed errors. */
export class Transport {
  constructor(private readonly config: TransportConfig) {}

  async call<T>(spec: CallSpec, schema: z.ZodType<T>, options: CallOptions = {}): Promise<CallResult<T>> {
    const { config } = this;
    const signal = options.signal;
    let token = spec.auth === 'bearer' ? await config.tokens.getAccessToken(signal) : undefined;
    let refreshed = false;
    let failures = 0;
    let earlierOutcomeUnknown = false;
    for (let attempt = 1; ; attempt++) {
      signal?.throwIfAborted();
      const result = await this.#attempt(spec, token, attempt, options, refreshed);
      if (result.ok) return this.#accept(spec, schema, result.value);

      let error: PlatformError;
      let retryable: boolean;
      if ('refusal' in result) {
        const { refusal } = result;
        if (refusal.status === 404 && spec.goneIsDone && earlierOutcomeUnknown) {
          return this.#accept(spec, schema, { success: true });
        }
        if (
          refusal.status === 401 &&
          token !== undefined &&
          !refreshed &&
          !isScopeRefusal(refusal.type, refusal.platformMessage)
        ) {
          refreshed = true;
          const fresh = await config.tokens.refreshAfterUnauthorized(token, signal);
          if (fresh !== undefined && fresh !== token) {
            token = fresh;
            continue;
          }
        }
        error = refusalError(refusal);
        retryable = isRetryableStatus(refusal.status);
      } else {
        ({ error, retryable } = result);
      }
      if (error.outcomeUnknown) earlierOutcomeUnknown = true;

      failures += 1;
      const retryAfter = error.retryAfterMs;
      if (
        !retryable ||
        spec.kind === 'create' ||
        failures >= config.retry.maxAttempts ||
        (retryAfter !== undefined && retryAfter > config.retry.maxRetryAfterMs)
      ) {
        throw error;
      }
      const delayMs = backoffDelay(config.retry, failures, retryAfter);
      config.logger?.warn(
        { method: spec.method, route: spec.route, attempt, code: error.code, status: error.status, delayMs },
        'platform call failed; retrying',
      );
      await config.clock.sleep(delayMs, signal);
    }
  }

  #accept<T>(spec: CallSpec, schema: z.ZodType<T>, value: unknown): CallResult<T> {
    const releases: Array<() => void> = [];
    if (spec.credentialFields && typeof value === 'object' && value !== null) {
      for (const field of spec.credentialFields) {
        const credential = (value as Record<string, unknown>)[field];
        if (typeof credential === 'string' && this.config.redactor) releases.push(this.config.redactor.add(credential));
      }
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      // The credential stays registered: the object exists on the platform, and so may its secret.
      throw shapeError(spec.action, parsed.error, spec.kind !== 'read');
    }
    return { value: parsed.data, release: () => releases.forEach((release) => release()) };
  }

  async #attempt(
    spec: CallSpec,
    token: string | undefined,
    attempt: number,
    options: CallOptions,
    refreshed: boolean,
  ): Promise<Attempt> {
    const { config } = this;
    const started = config.clock.now();
    const result = await this.#exchange(spec, token, options, refreshed);
    const record: ExchangeRecord = {
      method: spec.method,
      route: spec.route,
      attempt,
      ms: config.clock.now() - started,
    };
    if (result.ok) record.status = result.status;
    if ('refusal' in result) record.status = result.refusal.status;
    if ('error' in result) {
      record.code = result.error.code;
      if (result.error.status !== undefined) record.status = result.error.status;
    }
    config.onExchange?.(record);
    config.logger?.debug(record, 'platform call');
    return result;
  }

  async #exchange(
    spec: CallSpec,
    token: string | undefined,
    options: CallOptions,
    refreshed: boolean,
  ): Promise<Attempt> {
    const { config } = this;
    const mutates = spec.kind !== 'read';
    const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Version': ACCEPT_VERSION };
    if (token !== undefined) {
      if (!HEADER_SAFE_TOKEN.test(token)) {
        const error = new PlatformError(
          'PLATFORM_UNAUTHORIZED',
          `The session's token is malformed (it contains spaces or control characters), so the station cannot ${spec.action}. Sign in again or check KEYLINE_TOKEN.`,
        );
        return { ok: false, error, retryable: false };
      }
      headers['Authorization'] = `Bearer ${token}`;
    }
    if (spec.body !== undefined) headers['Content-Type'] = 'application/json';
    const url = `${config.apiUrl.href.replace(/\/$/, '')}${spec.path}?${encodeQuery(spec.query)}`;

    const timeout = AbortSignal.timeout(options.timeoutMs ?? config.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    const timeoutMs = options.timeoutMs ?? config.timeoutMs;
    const lost = (cause: unknown, phase: 'request' | 'body'): Attempt => {
      if (options.signal?.aborted) throw options.signal.reason;
      if (timeout.aborted) {
        const unknown = mutates ? LOOK_IT_UP : '';
        const error = new PlatformError(
          'PLATFORM_UNAVAILABLE',
          `The platform did not answer the request to ${spec.action} within ${Math.round(timeoutMs / 1000)} s.${unknown}`,
          { outcomeUnknown: mutates, cause },
        );
        return { ok: false, error, retryable: true };
      }
      const failure = describeConnectionFailure(cause, config.apiUrl.origin);
      const outcomeUnknown = mutates && (phase === 'body' || failure.requestMayHaveArrived);
      const unknown = outcomeUnknown ? LOOK_IT_UP : '';
      const error = new PlatformError('PLATFORM_UNAVAILABLE', `Could not ${spec.action}: ${failure.words}.${unknown}`, {
        outcomeUnknown,
        cause,
      });
      return { ok: false, error, retryable: failure.retryable };
    };

    let response: Response;
    try {
      response = await config.fetch(url, {
        method: spec.method,
        headers,
        body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
        redirect: 'manual',
        signal,
      });
    } catch (cause) {
      return lost(cause, 'request');
    }

    const { status } = response;
    if (status >= 300 && status < 400) {
      await response.body?.cancel().catch(() => undefined);
      return { ok: false, error: redirectError(spec.action, config.apiUrl, spec.path, response), retryable: false };
    }
    if (status >= 200 && status < 300) {
      try {
        return { ok: true, status, value: await readJson(response, config.maxResponseBytes) };
      } catch (cause) {
        if (cause instanceof BodyError && cause.problem.kind === 'interrupted')
          return lost(cause.problem.cause, 'body');
        return { ok: false, error: unusableBodyError(spec.action, cause, mutates, status), retryable: false };
      }
    }

    let type: string | undefined;
    let message: unknown;
    try {
      const body = await readJson(response, MAX_ERROR_BODY_BYTES);
      if (typeof body === 'object' && body !== null) {
        const fields = body as Record<string, unknown>;
        if (typeof fields['type'] === 'string') type = sanitisePlatformMessage(fields['type'])?.slice(0, 60);
        message = fields['message'];
      }
    } catch (cause) {
      // A proxy's HTML page or a cut connection: the status alone says enough, unless we timed out.
      if (
        cause instanceof BodyError &&
        cause.problem.kind === 'interrupted' &&
        (options.signal?.aborted || timeout.aborted)
      ) {
        return lost(cause.problem.cause, 'body');
      }
    }
    const knownSecrets = [...(token === undefined ? [] : [token]), ...(spec.bodySecrets ?? [])];
    return {
      ok: false,
      refusal: {
        action: spec.action,
        status,
        type,
        platformMessage: sanitisePlatformMessage(
          message,
          knownSecrets,
          (text) => config.redactor?.redact(text) ?? text,
        ),
        auth: spec.auth,
        refreshed,
        retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), config.clock.now()),
        outcomeUnknown: mutates && status >= 500,
      },
    };
  }
}
