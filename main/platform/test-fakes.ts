/**
 * Fakes for the unit tests of this folder (and of callers that want a scripted platform in a unit
 * test): a scripted `fetch` that records what was sent, and a clock whose sleeps return at once.
 * Tests through real HTTP live in test/integration/platform-client/.
 */
import type { Clock } from './clock';
import type { TokenSource } from './token-source';

export interface SentRequest {
  url: URL;
  method: string;
  headers: Headers;
  body: string | undefined;
  redirect: RequestInit['redirect'];
  signal: AbortSignal | undefined;
}

export type Reply = Response | Error | ((request: SentRequest) => Response | Error | Promise<Response | Error>);

export interface ScriptedFetch {
  fetch: typeof fetch;
  requests: SentRequest[];
}

/** Answers each request with the next reply; fails the test loudly when the script runs out. */
export function scriptedFetch(...replies: Reply[]): ScriptedFetch {
  const requests: SentRequest[] = [];
  const queue = [...replies];
  const fetchImpl = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request: SentRequest = {
      url: new URL(String(input)),
      method: init?.method ?? 'GET',
      headers: new Headers(init?.headers),
      body: typeof init?.body === 'string' ? init.body : undefined,
      redirect: init?.redirect,
      signal: init?.signal ?? undefined,
    };
    requests.push(request);
    const next = queue.shift();
    if (next === undefined) throw new Error(`unexpected request ${request.method} ${request.url.pathname}`);
    const reply = typeof next === 'function' ? await next(request) : next;
    if (reply instanceof Error) throw reply;
    return reply;
  };
  return { fetch: fetchImpl as typeof fetch, requests };
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  });
}

/** A connection-level failure the way undici reports it: TypeError('fetch failed') with a coded cause. */
export function connectionError(code: string): Error {
  const cause = Object.assign(new Error(`connect ${code}`), { code });
  return new TypeError('fetch failed', { cause });
}

/** A reply that never comes: it waits for the request's signal (the client's timeout) to abort. */
export function hang(): (request: SentRequest) => Promise<Error> {
  return (request) =>
    new Promise((resolve) => {
      request.signal?.addEventListener('abort', () => resolve(request.signal?.reason as Error), { once: true });
    });
}

export interface FakeClock extends Clock {
  /** Every sleep asked for, in ms. */
  sleeps: number[];
}

/** Time moves only when the client sleeps, and sleeping returns at once. */
export function fakeClock(start = Date.UTC(2025, 0, 1)): FakeClock {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms, signal) => {
      signal?.throwIfAborted();
      sleeps.push(ms);
      now += ms;
    },
  };
}

export interface RecordingTokens extends TokenSource {
  refreshCalls: string[];
}

/** A token source that hands out `fresh` (once) when asked to refresh. */
export function recordingTokens(initial: string, fresh?: string): RecordingTokens {
  let current = initial;
  const refreshCalls: string[] = [];
  return {
    refreshCalls,
    getAccessToken: () => Promise.resolve(current),
    refreshAfterUnauthorized: (rejected) => {
      refreshCalls.push(rejected);
      if (fresh === undefined) return Promise.resolve(undefined);
      current = fresh;
      return Promise.resolve(fresh);
    },
  };
}

/** Canned platform answers shaped as in platform-api.md, for unit tests. */
export const APP_ID = '5f0c1a2b3c4d5e6f7a8b9c0d';
export const DEVICE_ID = '60aa00000000000000000001';
export const KEY_ID = '60bb00000000000000000001';
export const USER_ID = '60cc00000000000000000001';
export const ORG_ID = '60dd00000000000000000001';
export const TOKEN_ID = '60ee00000000000000000001';

export function deviceBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: DEVICE_ID,
    deviceId: DEVICE_ID,
    applicationId: APP_ID,
    name: 'sensor-A1',
    deviceClass: 'standalone',
    tags: [{ key: 'hwid', value: 'A1' }],
    attributes: [{ name: 'nonce', dataType: 'string' }],
    connectionInfo: { time: '2025-01-01T00:00:00.000Z', connected: 0 },
    creationDate: '2025-01-01T00:00:00.000Z',
    lastUpdated: '2025-01-01T00:00:00.000Z',
    _links: { self: { href: '/applications/x/devices/y' } },
    ...overrides,
  };
}

export function keyBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: KEY_ID,
    applicationKeyId: KEY_ID,
    applicationId: APP_ID,
    key: 'a1b2c3d4-0000-4000-8000-000000000001',
    status: 'active',
    name: 'keyline-run-1',
    deviceIds: [DEVICE_ID],
    creationDate: '2025-01-01T00:00:00.000Z',
    createdById: USER_ID,
    createdByType: 'user',
    ...overrides,
  };
}

export function tokenBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: TOKEN_ID,
    apiTokenId: TOKEN_ID,
    ownerId: APP_ID,
    ownerType: 'application',
    creatorId: USER_ID,
    creatorType: 'user',
    creatorName: 'Tess Technician',
    name: 'line 3',
    description: '',
    creationDate: '2025-01-01T00:00:00.000Z',
    expirationDate: '2026-01-01T00:00:00.000Z',
    scope: ['all.Application'],
    status: 'active',
    ...overrides,
  };
}
