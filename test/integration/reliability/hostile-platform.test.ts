/**
 * A compromised or broken platform, over real HTTP: a seeded generator answers every call of the
 * platform client with hostile answers (wrong types in otherwise valid bodies, markup and terminal
 * escapes in error messages, the caller's own token and secret echoed back, redirects to another
 * host or scheme, lying content types and lengths, bodies cut off or far too large, deep nesting,
 * prototype keys, absurd Retry-After). Each call must end, in bounded time, with a value of the
 * right shape or a typed PlatformError whose message is bounded, printable and free of the token
 * and the secret; no redirect is ever followed. (canned-http.test.ts and transport.test.ts cover
 * one case of each kind; this mixes them at random over every call.)
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlatformClient, PlatformError, staticTokenSource, type PlatformErrorCode } from '../../../main/platform';
import { SecretRedactor } from '../../../main/security/secret-redactor';
import { APP_ID, DEVICE_ID, KEY_ID, USER_ID, deviceBody, keyBody } from '../../../main/platform/test-fakes';

const TOKEN = 'hostile-platform-api-token-7c1d0e9f2a3b4c5d6e7f';
const SECRET = 'hostile-platform-device-secret-00112233445566778899';
const CODES: readonly PlatformErrorCode[] = [
  'PLATFORM_UNAUTHORIZED',
  'PLATFORM_FORBIDDEN',
  'PLATFORM_NOT_FOUND',
  'PLATFORM_VALIDATION',
  'PLATFORM_ALREADY_EXISTS',
  'PLATFORM_RATE_LIMITED',
  'PLATFORM_UNAVAILABLE',
  'PLATFORM_BAD_RESPONSE',
];
// eslint-disable-next-line no-control-regex -- the point is to find control characters.
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/;

function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (max: number) => Math.floor(next() * max),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
  };
}
type Random = ReturnType<typeof random>;

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

interface Server {
  url: string;
  hits: number;
  handler: Handler;
  close(): Promise<void>;
}

async function serve(): Promise<Server> {
  const sockets = new Set<Socket>();
  const state: Server = {
    url: '',
    hits: 0,
    handler: (_request, response) => response.end(),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  const server = createServer((request, response) => {
    state.hits++;
    request.resume();
    request.on('end', () => state.handler(request, response));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}

let platform: Server;
let elsewhere: Server;

beforeAll(async () => {
  [platform, elsewhere] = await Promise.all([serve(), serve()]);
  elsewhere.handler = (_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: USER_ID, email: 'x@y' }));
  };
});

afterAll(async () => {
  await Promise.all([platform?.close(), elsewhere?.close()]);
});

const HOSTILE_TEXT = [
  '<img src=x onerror=alert(1)>',
  '\u001b[2J\u001b]0;pwned\u0007',
  `your token is ${TOKEN}`,
  `secret=${SECRET}`,
  Buffer.from(SECRET).toString('base64'),
  'A'.repeat(50_000),
  '\u202eevil',
  '__proto__',
];

function mutate(rng: Random, body: Record<string, unknown>): unknown {
  const copy: Record<string, unknown> = structuredClone(body);
  const keys = Object.keys(copy);
  const key = rng.pick(keys);
  const value = rng.pick<unknown>([
    12345,
    null,
    true,
    [],
    {},
    rng.pick(HOSTILE_TEXT),
    'not-an-object-id',
    [{ $where: 'x' }],
    '2025-13-45T99:99:99Z',
  ]);
  if (rng.next() < 0.2) delete copy[key];
  else copy[key] = value;
  return copy;
}

/** A valid-looking body for what was asked, so mutations land in otherwise sound answers. */
function validBody(url: URL, method: string): Record<string, unknown> {
  if (url.pathname === '/me') return { id: USER_ID, email: 'tess@example.test', firstName: 'Tess' };
  if (url.pathname === '/auth/device')
    return { applicationId: APP_ID, deviceId: DEVICE_ID, deviceClass: 'standalone', token: 'x' };
  if (url.pathname.includes('/keys')) {
    if (method === 'GET' && url.pathname.endsWith('/keys'))
      return { items: [keyBody()], count: 1, totalCount: 1, perPage: 100, page: 0 };
    return keyBody({ secret: SECRET });
  }
  if (method === 'GET' && url.pathname.endsWith('/devices'))
    return { items: [deviceBody()], count: 1, totalCount: 1, perPage: 100, page: 0 };
  return deviceBody();
}

function hostileAnswer(rng: Random): Handler {
  return (request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    const body = validBody(url, request.method ?? 'GET');
    const send = (status: number, text: string, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'content-type': 'application/json', ...headers });
      response.end(text);
    };
    switch (rng.int(14)) {
      case 0:
      case 1:
        return send(rng.pick([200, 201]), JSON.stringify(mutate(rng, body)));
      case 2:
        return send(
          rng.pick([400, 401, 403, 404, 409, 418, 422, 429, 500, 502, 503]),
          JSON.stringify({
            type: rng.pick(['Validation', 'NotFound', '__proto__', rng.pick(HOSTILE_TEXT)]),
            message: rng.pick(HOSTILE_TEXT),
          }),
          rng.next() < 0.5
            ? { 'retry-after': rng.pick(['0', '999999999', '-1', 'soon', 'Fri, 31 Dec 9999 23:59:59 GMT']) }
            : {},
        );
      case 3: {
        const location = rng.pick([
          `${elsewhere.url}/me`,
          `${elsewhere.url.replace('127.0.0.1', 'localhost')}/me`,
          'javascript:alert(1)',
          'file:///etc/passwd',
          '//attacker.example/steal',
          'https://user:pass@attacker.example/',
          'http://[::1',
        ]);
        response.writeHead(rng.pick([301, 302, 303, 307, 308]), { location });
        return response.end();
      }
      case 4:
        return send(200, '<!doctype html><form action="https://attacker.example/login">', {
          'content-type': rng.pick(['text/html', 'application/json']),
        });
      case 5:
        return send(200, rng.pick(['[]', '"text"', 'null', '42', '{', '{"items":"x"}', '\ufeff{}']));
      case 6: {
        // Far larger than any answer should be, streamed without a length.
        response.writeHead(200, { 'content-type': 'application/json' });
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        let sent = 0;
        const pump = () => {
          while (sent < 8 * 1024 * 1024) {
            sent += chunk.length;
            if (!response.write(chunk)) return void response.once('drain', pump);
          }
          response.end();
        };
        response.on('error', () => undefined);
        return pump();
      }
      case 7:
        // A length that promises more than comes, then the connection drops.
        response.writeHead(200, { 'content-type': 'application/json', 'content-length': '100000' });
        response.write('{"id":"');
        return void setTimeout(() => response.socket?.destroy(), 5);
      case 8:
        return send(200, `${'['.repeat(20_000)}${']'.repeat(20_000)}`);
      case 9:
        return send(
          200,
          `{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},${JSON.stringify(body).slice(1)}`,
        );
      case 10:
        return send(200, JSON.stringify(body), { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      case 11:
        return response.socket?.destroy();
      case 12:
        // Says nothing at all until the client gives up.
        return;
      default:
        return send(rng.pick([200, 201]), JSON.stringify(body));
    }
  };
}

type Call = (client: PlatformClient) => Promise<unknown>;
const CALLS: Array<[string, Call]> = [
  ['me', (c) => c.me()],
  ['orgs', (c) => c.orgs()],
  ['applications', (c) => c.applications()],
  ['devices.get', (c) => c.devices.get(APP_ID, DEVICE_ID)],
  ['devices.list', (c) => c.devices.list(APP_ID, {})],
  ['devices.create', (c) => c.devices.create(APP_ID, { name: 'sensor-A1' })],
  ['devices.compositeState', (c) => c.devices.compositeState(APP_ID, DEVICE_ID)],
  ['devices.delete', (c) => c.devices.delete(APP_ID, DEVICE_ID)],
  ['keys.create', (c) => c.keys.create(APP_ID, { name: 'keyline-run-1', deviceIds: [DEVICE_ID] })],
  ['keys.get', (c) => c.keys.get(APP_ID, KEY_ID)],
  ['keys.patch', (c) => c.keys.patch(APP_ID, KEY_ID, { status: 'inactive' })],
  ['keys.delete', (c) => c.keys.delete(APP_ID, KEY_ID)],
  [
    'authenticateDevice',
    (c) => c.authenticateDevice({ deviceId: DEVICE_ID, key: 'a1b2c3d4-0000-4000-8000-000000000001', secret: SECRET }),
  ],
];

describe('platform client against a hostile platform (seeded, real HTTP)', () => {
  it('ends every call with a typed result or a clean PlatformError, and never follows a redirect', async () => {
    const redactor = new SecretRedactor();
    const client = new PlatformClient({
      apiUrl: platform.url,
      tokens: staticTokenSource(TOKEN),
      redactor,
      timeoutMs: 250,
      maxResponseBytes: 1024 * 1024,
      retry: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 100 },
    });
    const seen = new Map<string, number>();
    for (let seed = 1; seed <= 20; seed++) {
      const rng = random(seed);
      for (const [name, call] of CALLS) {
        platform.handler = hostileAnswer(rng);
        const where = `seed ${seed}, ${name}`;
        const started = Date.now();
        try {
          await call(client);
          seen.set('ok', (seen.get('ok') ?? 0) + 1);
        } catch (error) {
          if (!(error instanceof PlatformError)) throw new Error(`${where}: ${String(error)}`, { cause: error });
          seen.set(error.code, (seen.get(error.code) ?? 0) + 1);
          expect(CODES, where).toContain(error.code);
          expect(error.message.length, where).toBeLessThan(1200);
          expect(error.message, where).not.toMatch(CONTROL);
          expect(error.message, where).not.toContain(TOKEN);
          expect(error.message, where).not.toContain(SECRET);
          expect(error.message, where).not.toContain(Buffer.from(SECRET).toString('base64').replace(/=+$/, ''));
        }
        expect(Date.now() - started, where).toBeLessThan(5_000);
        expect(({} as Record<string, unknown>)['polluted'], where).toBeUndefined();
      }
    }
    expect(elsewhere.hits).toBe(0);
    for (const code of ['ok', 'PLATFORM_BAD_RESPONSE', 'PLATFORM_UNAVAILABLE']) {
      expect(seen.get(code) ?? 0, `${code} in ${JSON.stringify([...seen])}`).toBeGreaterThan(3);
    }
  }, 120_000);
});
