import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { PlatformClient, PlatformError, staticTokenSource, type PlatformClientOptions } from '../../../main/platform';
import { SecretRedactor } from '../../../main/security/secret-redactor';
import { APP_ID, DEVICE_ID, KEY_ID, USER_ID, deviceBody, keyBody } from '../../../main/platform/test-fakes';
import { sendJson, startCannedServer, type CannedHandler, type CannedServer } from './canned-server';

const TOKEN = 'api-token-for-canned-tests-0123456789';
const SECRET = '9d2c5b1e7a3f4c6d8e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d';

const servers: CannedServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(handler: CannedHandler): Promise<CannedServer> {
  const server = await startCannedServer(handler);
  servers.push(server);
  return server;
}

function clientFor(server: CannedServer, options: Partial<PlatformClientOptions> = {}): PlatformClient {
  return new PlatformClient({
    apiUrl: server.url,
    tokens: staticTokenSource(TOKEN),
    retry: { baseDelayMs: 5, maxDelayMs: 20 },
    timeoutMs: 2_000,
    ...options,
  });
}

async function failure(promise: Promise<unknown>): Promise<PlatformError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(PlatformError);
  return error as PlatformError;
}

describe('platform client over real HTTP (canned answers)', () => {
  it('sends the official client headers, query and JSON body, and reads a 201', async () => {
    const server = await serve((request, res) => {
      sendJson(res, 201, keyBody({ secret: SECRET }));
    });
    const redactor = new SecretRedactor();
    const created = await clientFor(server, { redactor }).keys.create(APP_ID, {
      name: 'keyline-run-7',
      description: 'station 3',
      deviceIds: [DEVICE_ID],
    });
    expect(created.value.secret).toBe(SECRET);
    expect(redactor.redact(SECRET)).toBe('[REDACTED]');
    const [request] = server.requests;
    expect(request?.method).toBe('POST');
    expect(request?.url.pathname).toBe(`/applications/${APP_ID}/keys`);
    expect(request?.url.search).toBe('?_actions=false&_links=true&_embedded=true');
    expect(request?.headers['accept']).toBe('application/json');
    expect(request?.headers['accept-version']).toBe('^1.30.0');
    expect(request?.headers['authorization']).toBe(`Bearer ${TOKEN}`);
    expect(request?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request?.body ?? '')).toEqual({
      name: 'keyline-run-7',
      description: 'station 3',
      deviceIds: [DEVICE_ID],
    });
  });

  it('retries a read after 503 with Retry-After and succeeds', async () => {
    const server = await serve((request, res) => {
      if (server.requests.length === 1)
        sendJson(res, 503, { type: 'Unavailable', message: 'busy' }, { 'retry-after': '0' });
      else sendJson(res, 200, { id: USER_ID, email: 'tess@example.test' });
    });
    expect((await clientFor(server).me()).email).toBe('tess@example.test');
    expect(server.requests).toHaveLength(2);
  });

  it('creates nothing twice: a connection dropped during a device create is reported once, outcome unknown', async () => {
    const server = await serve((_request, res) => {
      res.socket?.destroy();
    });
    const error = await failure(clientFor(server).devices.create(APP_ID, { name: 'sensor-A1' }));
    expect(error.code).toBe('PLATFORM_UNAVAILABLE');
    expect(error.outcomeUnknown).toBe(true);
    expect(server.requests).toHaveLength(1);
  });

  it('retries a read whose connection dropped', async () => {
    const server = await serve((_request, res) => {
      if (server.requests.length === 1) res.socket?.destroy();
      else sendJson(res, 200, deviceBody());
    });
    expect((await clientFor(server).devices.get(APP_ID, DEVICE_ID)).id).toBe(DEVICE_ID);
    expect(server.requests).toHaveLength(2);
  });

  it('retries a read whose body was cut off mid-way', async () => {
    const server = await serve((_request, res) => {
      if (server.requests.length === 1) {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
        res.write('{"id":"');
        setTimeout(() => res.socket?.destroy(), 10);
      } else sendJson(res, 200, deviceBody());
    });
    await clientFor(server).devices.get(APP_ID, DEVICE_ID);
    expect(server.requests).toHaveLength(2);
  });

  it('times out a key create that never answers, once, outcome unknown', async () => {
    const server = await serve(() => {
      // Never answers.
    });
    const started = Date.now();
    const error = await failure(
      clientFor(server, { timeoutMs: 150 }).keys.create(APP_ID, { name: 'keyline-run-8', deviceIds: [DEVICE_ID] }),
    );
    expect(error.code).toBe('PLATFORM_UNAVAILABLE');
    expect(error.outcomeUnknown).toBe(true);
    expect(error.message).toMatch(/did not answer/);
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(server.requests).toHaveLength(1);
  });

  it('reports a refused connection (nothing listening) with outcome known', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const address = probe.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const client = new PlatformClient({
      apiUrl: `http://127.0.0.1:${port}`,
      tokens: staticTokenSource(TOKEN),
      retry: { maxAttempts: 2, baseDelayMs: 5 },
    });
    const error = await failure(client.keys.create(APP_ID, { name: 'k', deviceIds: [DEVICE_ID] }));
    expect(error.code).toBe('PLATFORM_UNAVAILABLE');
    expect(error.outcomeUnknown).toBe(false);
    expect(error.message).toContain('connection refused');
  });

  it('does not follow a redirect to another host', async () => {
    const elsewhere = await serve((_request, res) => sendJson(res, 200, { id: USER_ID, email: 'evil@example.test' }));
    const server = await serve((_request, res) => {
      res.writeHead(307, { location: `http://localhost:${new URL(elsewhere.url).port}/me` });
      res.end();
    });
    const error = await failure(clientFor(server).me());
    expect(error.code).toBe('PLATFORM_BAD_RESPONSE');
    expect(error.message).toContain('another host');
    expect(elsewhere.requests).toHaveLength(0);
  });

  it('stops reading a huge streamed answer and refuses it', async () => {
    let written = 0;
    const server = await serve((_request, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(256 * 1024, 0x20);
      const pump = () => {
        while (written < 64 * 1024 * 1024) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('close', () => undefined);
      pump();
    });
    const error = await failure(clientFor(server, { maxResponseBytes: 1024 * 1024 }).me());
    expect(error.code).toBe('PLATFORM_BAD_RESPONSE');
    expect(error.message).toContain('larger than 1024 KiB');
    expect(written).toBeLessThan(64 * 1024 * 1024);
  });

  it('maps the platform error bodies to typed errors with status and type', async () => {
    const server = await serve((request, res) => {
      if (request.url.pathname.endsWith(`/keys/${KEY_ID}`))
        sendJson(res, 404, { type: 'NotFound', message: 'Application key was not found' });
      else sendJson(res, 400, { type: 'Validation', message: 'name is required', validationErrors: [] });
    });
    const client = clientFor(server);
    const notFound = await failure(client.keys.get(APP_ID, KEY_ID));
    expect([notFound.code, notFound.status, notFound.type]).toEqual(['PLATFORM_NOT_FOUND', 404, 'NotFound']);
    expect(notFound.message).toContain('Application key was not found');
    const invalid = await failure(client.devices.create(APP_ID, { name: 'x' }));
    expect([invalid.code, invalid.status, invalid.type]).toEqual(['PLATFORM_VALIDATION', 400, 'Validation']);
  });

  it('asks for a fresh token after a 401 and retries once with it', async () => {
    const server = await serve((request, res) => {
      if (request.headers['authorization'] === 'Bearer fresh-token-0001')
        sendJson(res, 200, { id: USER_ID, email: 'a@b' });
      else sendJson(res, 401, { type: 'Unauthorized', message: 'Unauthorized' });
    });
    const refreshed: string[] = [];
    const client = clientFor(server, {
      tokens: {
        getAccessToken: () => Promise.resolve('expired-token-0001'),
        refreshAfterUnauthorized: (rejected) => {
          refreshed.push(rejected);
          return Promise.resolve('fresh-token-0001');
        },
      },
    });
    await client.me();
    expect(refreshed).toEqual(['expired-token-0001']);
    expect(server.requests.map((r) => r.headers['authorization'])).toEqual([
      'Bearer expired-token-0001',
      'Bearer fresh-token-0001',
    ]);
  });
});
