import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A tiny real HTTP peer answering the two calls a device makes in `test`
 * (/work/shared/platform-api.md): `POST /auth/device` and the state report. It stands in for the
 * platform simulator in these tests only; the platform URL stays injectable everywhere.
 */
export interface StubPlatform {
  readonly url: string;
  readonly applicationId: string;
  /** Allow `key`/`secret` for `deviceId`. */
  addKey(deviceId: string, key: string, secret: string): void;
  /** Every state report received, per device id. */
  reports(deviceId: string): Array<Record<string, unknown>>;
  /** Every request seen (method, path, status), for assertions. */
  readonly log: Array<{ method: string; path: string; status: number }>;
  close(): Promise<void>;
}

export async function startStubPlatform(): Promise<StubPlatform> {
  const applicationId = randomBytes(12).toString('hex');
  const keys = new Map<string, { deviceId: string; secret: string }>();
  const tokens = new Map<string, string>();
  const reports = new Map<string, Array<Record<string, unknown>>>();
  const log: StubPlatform['log'] = [];

  const server = createServer((request, response) => {
    void (async () => {
      const body = await readJson(request);
      const path = request.url ?? '/';
      const answer = (status: number, value: unknown) => {
        log.push({ method: request.method ?? '', path, status });
        response.writeHead(status, { 'Content-Type': 'application/json' });
        response.end(JSON.stringify(value));
      };
      if (request.method === 'POST' && path === '/auth/device') {
        const fields = body as { deviceId?: unknown; key?: unknown; secret?: unknown } | undefined;
        const extra = Object.keys(fields ?? {}).filter((name) => !['deviceId', 'key', 'secret'].includes(name));
        if (!fields || extra.length > 0) return answer(400, { type: 'Validation', message: 'bad body' });
        const known = typeof fields.key === 'string' ? keys.get(fields.key) : undefined;
        if (!known || known.secret !== fields.secret || known.deviceId !== fields.deviceId) {
          return answer(401, { type: 'Unauthorized', message: 'Invalid key or secret' });
        }
        const token = randomBytes(24).toString('base64url');
        tokens.set(token, known.deviceId);
        return answer(200, { applicationId, deviceId: known.deviceId, deviceClass: 'standalone', token });
      }
      const state = path.match(/^\/applications\/([0-9a-f]{24})\/devices\/([0-9a-f]{24})\/state$/);
      if (request.method === 'POST' && state) {
        const token = (request.headers.authorization ?? '').replace(/^Bearer /, '');
        if (tokens.get(token) !== state[2] || state[1] !== applicationId) {
          return answer(401, { type: 'Unauthorized', message: 'Unauthorized' });
        }
        const data = (body as { data?: unknown } | undefined)?.data;
        if (!data || typeof data !== 'object') return answer(400, { type: 'Validation', message: 'data required' });
        const list = reports.get(state[2]!) ?? [];
        list.push(data as Record<string, unknown>);
        reports.set(state[2]!, list);
        return answer(200, { success: true });
      }
      return answer(404, { type: 'NotFound', message: 'Not found' });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    applicationId,
    log,
    addKey: (deviceId, key, secret) => keys.set(key, { deviceId, secret }),
    reports: (deviceId) => reports.get(deviceId) ?? [],
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readJson(request: IncomingMessage): Promise<unknown> {
  return new Promise((resolve) => {
    let text = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (text += chunk));
    request.on('end', () => {
      try {
        resolve(text ? JSON.parse(text) : undefined);
      } catch {
        resolve(undefined);
      }
    });
  });
}
