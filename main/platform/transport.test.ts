import { describe, expect, it } from 'vitest';
import { PlatformClient, type PlatformClientOptions } from './client';
import { PlatformError, type PlatformErrorCode } from './errors';
import {
  APP_ID,
  DEVICE_ID,
  KEY_ID,
  USER_ID,
  connectionError,
  deviceBody,
  fakeClock,
  hang,
  json,
  keyBody,
  scriptedFetch,
  type Reply,
} from './test-fakes';
import { staticTokenSource } from './token-source';

function client(replies: Reply[], options: Partial<PlatformClientOptions> = {}) {
  const script = scriptedFetch(...replies);
  const clock = fakeClock();
  const platform = new PlatformClient({
    apiUrl: 'https://api.example.test',
    tokens: staticTokenSource('token-abc-123'),
    fetch: script.fetch,
    clock,
    retry: { random: () => 0.5 },
    ...options,
  });
  return { platform, requests: script.requests, clock };
}

async function failure(promise: Promise<unknown>): Promise<PlatformError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(PlatformError);
  return error as PlatformError;
}

const ME = { id: USER_ID, email: 'tess@example.test' };
const newKey = { name: 'keyline-run-1', deviceIds: [DEVICE_ID] };

describe('status mapping', () => {
  const cases: Array<[number, Record<string, unknown> | string, PlatformErrorCode, RegExp]> = [
    [400, { type: 'Validation', message: 'name is required' }, 'PLATFORM_VALIDATION', /rejected.*name is required/],
    [403, { type: 'Forbidden', message: 'Forbidden' }, 'PLATFORM_FORBIDDEN', /This session may not read device/],
    [404, { type: 'NotFound', message: 'Device was not found' }, 'PLATFORM_NOT_FOUND', /Device was not found/],
    [409, { type: 'AlreadyExists', message: 'exists' }, 'PLATFORM_ALREADY_EXISTS', /already exists/],
    [400, { type: 'AlreadyExists', message: 'exists' }, 'PLATFORM_ALREADY_EXISTS', /already exists/],
    [405, { type: 'MethodNotAllowed', message: 'no' }, 'PLATFORM_BAD_RESPONSE', /API URL/],
    [422, { type: 'Whatever' }, 'PLATFORM_VALIDATION', /422/],
    [501, { type: 'NotImplemented' }, 'PLATFORM_UNAVAILABLE', /501/],
    [502, '<html>bad gateway</html>', 'PLATFORM_UNAVAILABLE', /502/],
  ];
  for (const [status, body, code, words] of cases) {
    it(`maps ${status} ${typeof body === 'string' ? 'html' : String(body['type'])} to ${code}`, async () => {
      const reply = () =>
        typeof body === 'string'
          ? new Response(body, { status, headers: { 'content-type': 'text/html' } })
          : json(status, body);
      const { platform } = client([reply(), reply(), reply(), reply()]);
      const error = await failure(platform.devices.get(APP_ID, DEVICE_ID));
      expect(error.code).toBe(code);
      expect(error.status).toBe(status);
      expect(error.message).toMatch(words);
      if (typeof body !== 'string') expect(error.type).toBe(body['type']);
    });
  }

  it('never echoes an error body that is not the platform error shape', async () => {
    const { platform } = client([json(400, { secret: 'hunter2-hunter2', token: 'tok-tok-tok' })]);
    const error = await failure(platform.devices.get(APP_ID, DEVICE_ID));
    expect(error.message).not.toContain('hunter2');
    expect(error.message).not.toContain('tok-tok');
  });

  it('cuts and cleans a long platform message', async () => {
    const { platform } = client([json(404, { type: 'NotFound', message: `line1\nline2\u0007${'x'.repeat(1000)}` })]);
    const error = await failure(platform.devices.get(APP_ID, DEVICE_ID));
    expect(error.message).not.toContain('\n');
    expect(error.message).not.toContain('\u0007');
    expect(error.message.length).toBeLessThan(600);
  });
});

describe('retries of reads and idempotent calls', () => {
  it('retries a read after 5xx with growing, jittered, bounded delays and then succeeds', async () => {
    const { platform, requests, clock } = client([json(503, {}), json(500, {}), json(502, {}), json(200, ME)]);
    await platform.me();
    expect(requests).toHaveLength(4);
    // Equal jitter with random 0.5: 3/4 of a ceiling that doubles from 250 ms.
    expect(clock.sleeps).toEqual([188, 375, 750]);
  });

  it('gives up after maxAttempts with PLATFORM_UNAVAILABLE', async () => {
    const { platform, requests } = client([json(500, {}), json(500, {}), json(500, {})], { retry: { maxAttempts: 3 } });
    const error = await failure(platform.me());
    expect(error.code).toBe('PLATFORM_UNAVAILABLE');
    expect(requests).toHaveLength(3);
  });

  it('caps each delay at maxDelayMs', async () => {
    const { platform, clock } = client([json(500, {}), json(500, {}), json(500, {}), json(500, {}), json(200, ME)], {
      retry: { maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 1500, random: () => 1 },
    });
    await platform.me();
    expect(Math.max(...clock.sleeps)).toBeLessThanOrEqual(1500);
  });

  it('honours Retry-After in seconds and as a date', async () => {
    const start = Date.UTC(2025, 0, 1);
    const { platform, clock } = client([
      json(429, { type: 'TooManyRequests' }, { 'retry-after': '3' }),
      json(503, {}, { 'retry-after': new Date(start + 3000 + 7000).toUTCString() }),
      json(200, ME),
    ]);
    await platform.me();
    expect(clock.sleeps[0]).toBe(3000);
    expect(clock.sleeps[1]).toBe(7000);
  });

  it('does not wait for a Retry-After beyond maxRetryAfterMs: the error carries it', async () => {
    const { platform, requests } = client([json(429, {}, { 'retry-after': '120' })]);
    const error = await failure(platform.me());
    expect(error.code).toBe('PLATFORM_RATE_LIMITED');
    expect(error.retryAfterMs).toBe(120_000);
    expect(error.message).toContain('120 s');
    expect(requests).toHaveLength(1);
  });

  it('retries a read after a refused or reset connection', async () => {
    const { platform, requests } = client([
      connectionError('ECONNREFUSED'),
      connectionError('ECONNRESET'),
      json(200, ME),
    ]);
    await platform.me();
    expect(requests).toHaveLength(3);
  });

  it('does not retry an unknown host or an untrusted certificate', async () => {
    const notFound = client([connectionError('ENOTFOUND')]);
    const error = await failure(notFound.platform.me());
    expect(error.code).toBe('PLATFORM_UNAVAILABLE');
    expect(error.message).toContain('not found');
    expect(notFound.requests).toHaveLength(1);
    const tls = client([connectionError('CERT_HAS_EXPIRED')]);
    expect((await failure(tls.platform.me())).message).toContain('certificate');
    expect(tls.requests).toHaveLength(1);
  });

  it('times out each attempt and retries a read after a timeout', async () => {
    const { platform, requests } = client([hang(), json(200, ME)], { timeoutMs: 30 });
    await platform.me();
    expect(requests).toHaveLength(2);
  });

  it('reports a read that keeps timing out as PLATFORM_UNAVAILABLE', async () => {
    const { platform } = client([hang(), hang()], { timeoutMs: 20, retry: { maxAttempts: 2 } });
    const error = await failure(platform.me());
    expect(error.code).toBe('PLATFORM_UNAVAILABLE');
    expect(error.message).toMatch(/did not answer/);
    expect(error.outcomeUnknown).toBe(false);
  });

  it('retries a PATCH (idempotent) after 503', async () => {
    const { platform, requests } = client([json(503, {}), json(200, keyBody({ status: 'inactive' }))]);
    await platform.keys.patch(APP_ID, KEY_ID, { status: 'inactive' });
    expect(requests).toHaveLength(2);
  });

  it('counts a DELETE as done when its retry finds the object gone after a lost answer', async () => {
    const { platform, requests } = client([connectionError('ECONNRESET'), json(404, { type: 'NotFound' })]);
    expect(await platform.keys.delete(APP_ID, KEY_ID)).toEqual({ success: true });
    expect(requests).toHaveLength(2);
  });

  it('still reports a DELETE of something that never existed as PLATFORM_NOT_FOUND', async () => {
    const { platform } = client([json(404, { type: 'NotFound', message: 'Application key was not found' })]);
    expect((await failure(platform.keys.delete(APP_ID, KEY_ID))).code).toBe('PLATFORM_NOT_FOUND');
  });

  it('stops at once when the caller aborts, with the caller reason', async () => {
    const controller = new AbortController();
    const { platform, requests } = client([
      (request) => {
        controller.abort(new Error('lane cancelled'));
        return request.signal?.reason as Error;
      },
    ]);
    await expect(platform.me({ signal: controller.signal })).rejects.toThrow('lane cancelled');
    expect(requests).toHaveLength(1);
  });
});

describe('creates are never retried', () => {
  it('surfaces a 503 on key create once, with outcomeUnknown', async () => {
    const { platform, requests } = client([json(503, { type: 'Unavailable' })]);
    const error = await failure(platform.keys.create(APP_ID, newKey));
    expect(error.code).toBe('PLATFORM_UNAVAILABLE');
    expect(error.outcomeUnknown).toBe(true);
    expect(error.message).toMatch(/look it up/);
    expect(requests).toHaveLength(1);
  });

  it('surfaces a reset connection on device create once, with outcomeUnknown', async () => {
    const { platform, requests } = client([connectionError('ECONNRESET')]);
    const error = await failure(platform.devices.create(APP_ID, { name: 'sensor-A1' }));
    expect(error.code).toBe('PLATFORM_UNAVAILABLE');
    expect(error.outcomeUnknown).toBe(true);
    expect(requests).toHaveLength(1);
  });

  it('surfaces a timed out key create once, with outcomeUnknown', async () => {
    const { platform, requests } = client([hang()], { timeoutMs: 20 });
    const error = await failure(platform.keys.create(APP_ID, newKey));
    expect(error.code).toBe('PLATFORM_UNAVAILABLE');
    expect(error.outcomeUnknown).toBe(true);
    expect(requests).toHaveLength(1);
  });

  it('says the outcome is known when the connection was refused (nothing was sent)', async () => {
    const { platform, requests } = client([connectionError('ECONNREFUSED')]);
    const error = await failure(platform.keys.create(APP_ID, newKey));
    expect(error.outcomeUnknown).toBe(false);
    expect(requests).toHaveLength(1);
  });

  it('does not retry a rate-limited state report', async () => {
    const { platform, requests } = client([json(429, { type: 'TooManyRequests' }, { 'retry-after': '1' })]);
    const error = await failure(platform.devices.sendState(APP_ID, DEVICE_ID, { data: { nonce: 'n' } }));
    expect(error.code).toBe('PLATFORM_RATE_LIMITED');
    expect(error.outcomeUnknown).toBe(false);
    expect(error.retryAfterMs).toBe(1000);
    expect(requests).toHaveLength(1);
  });

  it('does not retry a token create on 500', async () => {
    const { platform, requests } = client([json(500, {})]);
    await failure(platform.applicationApiTokens(APP_ID).create({ name: 't', scope: ['devices.get'] }));
    expect(requests).toHaveLength(1);
  });
});

describe('answers that cannot be used', () => {
  it('refuses a redirect to another host without following it', async () => {
    const { platform, requests } = client([
      new Response(null, { status: 302, headers: { location: 'https://evil.example/me' } }),
    ]);
    const error = await failure(platform.me());
    expect(error.code).toBe('PLATFORM_BAD_RESPONSE');
    expect(error.status).toBe(302);
    expect(error.message).toContain('another host (https://evil.example)');
    expect(requests).toHaveLength(1);
    expect(requests[0]?.redirect).toBe('manual');
  });

  it('suggests https when the API URL answers with a redirect to it', async () => {
    const { platform } = client(
      [new Response(null, { status: 301, headers: { location: 'https://127.0.0.1:9/me' } })],
      {
        apiUrl: 'http://127.0.0.1:9',
      },
    );
    expect((await failure(platform.me())).message).toContain('set the API URL to https://127.0.0.1:9');
  });

  it('refuses an answer whose declared length is over the limit', async () => {
    const { platform } = client([
      new Response('{}', {
        status: 200,
        headers: { 'content-type': 'application/json', 'content-length': '999999999' },
      }),
    ]);
    const error = await failure(platform.me());
    expect(error.code).toBe('PLATFORM_BAD_RESPONSE');
    expect(error.message).toContain('larger than');
  });

  it('stops reading a streamed answer at the limit and cancels the stream', async () => {
    let pulled = 0;
    let cancelled = false;
    const chunk = new Uint8Array(64 * 1024).fill(0x20);
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += chunk.byteLength;
        controller.enqueue(chunk);
      },
      cancel() {
        cancelled = true;
      },
    });
    const { platform } = client(
      [new Response(body, { status: 200, headers: { 'content-type': 'application/json' } })],
      {
        maxResponseBytes: 1024 * 1024,
      },
    );
    const error = await failure(platform.me());
    expect(error.code).toBe('PLATFORM_BAD_RESPONSE');
    expect(cancelled).toBe(true);
    expect(pulled).toBeLessThan(2 * 1024 * 1024);
  });

  it('refuses malformed JSON and does not retry it', async () => {
    const { platform, requests } = client([
      new Response('{"id": ', { status: 200, headers: { 'content-type': 'application/json' } }),
    ]);
    const error = await failure(platform.me());
    expect(error.code).toBe('PLATFORM_BAD_RESPONSE');
    expect(error.message).toContain('malformed JSON');
    expect(requests).toHaveLength(1);
  });

  it('refuses a 200 that is not JSON (a sign-in page of a proxy)', async () => {
    const { platform } = client([
      new Response('<html>login</html>', { status: 200, headers: { 'content-type': 'text/html' } }),
    ]);
    const error = await failure(platform.me());
    expect(error.code).toBe('PLATFORM_BAD_RESPONSE');
    expect(error.message).toContain('text/html');
    expect(error.message).not.toContain('login');
  });

  it('refuses wrong types and ids, naming the field and not the value', async () => {
    const { platform } = client([json(200, deviceBody({ deviceClass: 'toaster', id: 'zzzz' }))]);
    const error = await failure(platform.devices.get(APP_ID, DEVICE_ID));
    expect(error.code).toBe('PLATFORM_BAD_RESPONSE');
    expect(error.message).toContain('deviceClass');
    expect(error.message).toContain('id');
    expect(error.message).not.toContain('toaster');
    expect(error.message).not.toContain('zzzz');
  });

  it('accepts extra fields the real platform adds', async () => {
    const { platform } = client([json(200, deviceBody({ newField: { nested: true }, gatewayId: null }))]);
    const device = await platform.devices.get(APP_ID, DEVICE_ID);
    expect(device.deviceClass).toBe('standalone');
  });

  it('treats a 2xx with an unreadable body after a create as outcome unknown', async () => {
    const { platform } = client([
      new Response('oops', { status: 201, headers: { 'content-type': 'application/json' } }),
    ]);
    const error = await failure(platform.devices.create(APP_ID, { name: 'x' }));
    expect(error.code).toBe('PLATFORM_BAD_RESPONSE');
    expect(error.outcomeUnknown).toBe(true);
  });
});

describe('API URL', () => {
  it.each([
    ['ftp://api.example.test', /https:\/\//],
    ['not a url', /not a valid URL/],
    ['https://user:pw@api.example.test', /user name/],
    ['http://api.example.test', /unencrypted/],
  ])('refuses %s', (apiUrl, words) => {
    expect(() => client([], { apiUrl })).toThrow(words);
  });

  it('allows plain http on loopback, and elsewhere only when asked', () => {
    expect(client([], { apiUrl: 'http://localhost:8080' }).platform.apiUrl).toBe('http://localhost:8080');
    expect(client([], { apiUrl: 'http://10.0.0.5', allowInsecureHttp: true }).platform.apiUrl).toBe('http://10.0.0.5');
  });
});
