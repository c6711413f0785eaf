import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WIRE_PROTOCOL, WIRE_TOKEN_PREFIX } from '../../common/contract/wire';
import { composeStation, type Station } from './compose';
import { startWebHost, type WebHost } from './web-host';

let station: Station;
let host: WebHost;
let rendererDir: string;

beforeAll(async () => {
  rendererDir = await mkdtemp(path.join(tmpdir(), 'keyline-renderer-'));
  await writeFile(path.join(rendererDir, 'index.html'), '<!doctype html><title>Keyline</title>');
  station = await composeStation({ host: 'web' });
  host = await startWebHost({ dispatch: station.dispatch, events: station.events, rendererDir });
});

afterAll(async () => {
  await host.close();
  await station.close();
  await rm(rendererDir, { recursive: true, force: true });
});

function connect(options: { origin?: string; token?: string | null; protocols?: string[] } = {}) {
  const protocols = options.protocols ?? [
    WIRE_PROTOCOL,
    ...(options.token === null ? [] : [`${WIRE_TOKEN_PREFIX}${options.token ?? host.token}`]),
  ];
  return new WebSocket(`ws://127.0.0.1:${host.port}/contract`, protocols, { origin: options.origin ?? host.origin });
}

function refusal(socket: WebSocket): Promise<number> {
  return new Promise((resolve, reject) => {
    socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    socket.on('open', () => reject(new Error('socket was accepted')));
    socket.on('error', () => undefined);
  });
}

function opened(socket: WebSocket): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    socket.on('open', () => resolve(socket));
    socket.on('error', reject);
  });
}

function nextMessage(socket: WebSocket): Promise<unknown> {
  return new Promise((resolve) => socket.once('message', (data) => resolve(JSON.parse(String(data)))));
}

describe('web host', () => {
  it('listens on 127.0.0.1 only and puts the token in the fragment', () => {
    expect(host.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(host.url).toBe(`${host.origin}/#token=${host.token}`);
    expect(host.token).toMatch(/^[0-9a-f]{64}$/);
  });

  it('serves the renderer with the strict CSP', async () => {
    const response = await fetch(`${host.origin}/`);
    expect(response.status).toBe(200);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
  });

  it('refuses paths outside the renderer', async () => {
    // Raw request lines: fetch() would normalise the dots away before they reach the server.
    const http = await import('node:http');
    const get = (rawPath: string) =>
      new Promise<{ status: number; body: string }>((resolve) => {
        http.get({ host: '127.0.0.1', port: host.port, path: rawPath }, (response) => {
          let body = '';
          response.on('data', (chunk) => (body += chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
        });
      });
    for (const probe of [
      '/../package.json',
      '/..%2f..%2fetc%2fpasswd',
      '/%2e%2e/%2e%2e/etc/passwd.txt',
      '/.env',
      '/a%00.html',
    ]) {
      const { status, body } = await get(probe);
      expect(status, probe).toBe(404);
      expect(body).not.toContain('root:');
    }
  });

  it('refuses a Host header other than its own (DNS rebinding)', async () => {
    const http = await import('node:http');
    const status = await new Promise<number>((resolve) => {
      http.get({ host: '127.0.0.1', port: host.port, path: '/', headers: { host: 'attacker.example' } }, (response) =>
        resolve(response.statusCode ?? 0),
      );
    });
    expect(status).toBe(421);
  });

  it('answers contract calls from its own origin with the token', async () => {
    const socket = await opened(connect());
    socket.send(JSON.stringify({ type: 'call', id: 7, method: 'app.info', args: {} }));
    expect(await nextMessage(socket)).toMatchObject({
      type: 'result',
      id: 7,
      result: { ok: true, value: { host: 'web', name: 'Keyline' } },
    });
    expect(socket.protocol).toBe(WIRE_PROTOCOL);
    socket.close();
  });

  it('refuses other origins', async () => {
    expect(await refusal(connect({ origin: 'http://attacker.example' }))).toBe(403);
    expect(await refusal(connect({ origin: 'http://localhost:' + host.port }))).toBe(403);
  });

  it('refuses a missing or wrong token', async () => {
    expect(await refusal(connect({ token: null }))).toBe(401);
    expect(await refusal(connect({ token: 'a'.repeat(64) }))).toBe(401);
    expect(await refusal(connect({ protocols: [`${WIRE_TOKEN_PREFIX}${host.token}`] }))).toBe(401);
  });

  it('answers malformed messages and bad arguments with typed errors and stays up', async () => {
    const socket = await opened(connect());
    socket.send('not json');
    expect(await nextMessage(socket)).toMatchObject({ type: 'error', error: { code: 'CONTRACT_MALFORMED_MESSAGE' } });
    socket.send(JSON.stringify({ type: 'call', id: 1, method: 'app.info', args: { evil: true } }));
    expect(await nextMessage(socket)).toMatchObject({
      result: { ok: false, error: { code: 'CONTRACT_INVALID_ARGUMENT' } },
    });
    socket.send(JSON.stringify({ type: 'call', id: 2, method: '__proto__', args: {} }));
    expect(await nextMessage(socket)).toMatchObject({
      result: { ok: false, error: { code: 'CONTRACT_UNKNOWN_METHOD' } },
    });
    socket.send(JSON.stringify({ type: 'call', id: 3, method: 'app.info', args: {} }));
    expect(await nextMessage(socket)).toMatchObject({ id: 3, result: { ok: true } });
    socket.close();
  });

  it('closes a socket that sends an oversized message', async () => {
    const socket = await opened(connect());
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
    socket.send('x'.repeat(2 * 1024 * 1024));
    expect(await closed).toBe(1009);
  });

  it('pushes contract events to connected windows', async () => {
    const socket = await opened(connect());
    const message = nextMessage(socket);
    station.events.emit('app.notice', { level: 'info', message: 'Batch started', time: '2026-11-26T10:00:00Z' });
    expect(await message).toEqual({
      type: 'event',
      event: 'app.notice',
      payload: { level: 'info', message: 'Batch started', time: '2026-11-26T10:00:00Z' },
    });
    socket.close();
  });
});
