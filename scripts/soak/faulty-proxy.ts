import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createRandom } from './random';

/**
 * A loopback HTTP proxy in front of the platform simulator that breaks a share of the requests
 * passing through it, the way networks and overloaded platforms do, and remembers every credential
 * the platform hands out (so the soak can look for them where they must never be). The station and
 * the devices both talk to the platform through it, so both sides see the faults.
 *
 * With probability `rate` a request gets one of:
 *   unavailable   500/502/503 before it reaches the platform (nothing happened)
 *   lost-answer   it reaches the platform, then the answer becomes a 504 (it happened; nobody knows)
 *   rate-limited  429 with Retry-After: 1, before the platform
 *   slow          300 to 2500 ms of latency, then forwarded
 *   dropped       the connection is cut before the platform sees the request
 *   cut-answer    the platform does it, then the connection is cut before the answer
 *
 * Controls (loopback, not forwarded): `GET /__proxy/secrets`, `GET /__proxy/stats`,
 * `PUT /__proxy/rate` with `{"rate": R}`.
 */
export const FAULT_KINDS = ['unavailable', 'lost-answer', 'rate-limited', 'slow', 'dropped', 'cut-answer'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultyProxyOptions {
  target: string;
  rate: number;
  seed: number;
}

export interface FaultyProxy {
  url: string;
  readonly secrets: Set<string>;
  readonly stats: { requests: number; faults: Record<FaultKind, number> };
  rate: number;
  close(): Promise<void>;
}

const CREDENTIAL_FIELDS = new Set(['secret', 'token', 'access_token', 'refresh_token']);

function collect(value: unknown, into: Set<string>): void {
  if (Array.isArray(value)) for (const item of value) collect(item, into);
  else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (CREDENTIAL_FIELDS.has(key) && typeof inner === 'string' && inner.length >= 8) into.add(inner);
      else collect(inner, into);
    }
  }
}

function injected(response: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  const body = JSON.stringify({ type: status === 429 ? 'TooManyRequests' : 'ServiceUnavailable', message: 'Injected' });
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    ...headers,
  });
  response.end(body);
}

export async function startFaultyProxy(options: FaultyProxyOptions): Promise<FaultyProxy> {
  const upstream = new URL(options.target);
  const random = createRandom(options.seed);
  const secrets = new Set<string>();
  const faults = Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0])) as Record<FaultKind, number>;
  const sockets = new Set<Socket>();
  const state: FaultyProxy = {
    url: '',
    secrets,
    stats: { requests: 0, faults },
    rate: options.rate,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };

  const control = (request: IncomingMessage, response: ServerResponse, body: Buffer): void => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    const send = (value: unknown) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(value));
    };
    if (path === '/__proxy/secrets') return send([...secrets]);
    if (path === '/__proxy/stats') return send(state.stats);
    if (path === '/__proxy/rate' && request.method === 'PUT') {
      const rate = Number((JSON.parse(body.toString() || '{}') as { rate?: unknown }).rate);
      if (Number.isFinite(rate) && rate >= 0 && rate <= 1) state.rate = rate;
      return send({ rate: state.rate });
    }
    response.writeHead(404).end();
  };

  const forward = (
    request: IncomingMessage,
    body: Buffer,
    done: (status: number, headers: IncomingMessage['headers'], answer: Buffer) => void,
    failed: () => void,
  ) => {
    const outgoing = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: request.method,
        path: request.url,
        headers: { ...request.headers, host: upstream.host },
      },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          const data = Buffer.concat(chunks);
          try {
            collect(JSON.parse(data.toString('utf8')), secrets);
          } catch {
            // Not JSON: nothing to remember.
          }
          done(answer.statusCode ?? 502, answer.headers, data);
        });
        answer.on('error', failed);
      },
    );
    outgoing.on('error', failed);
    outgoing.end(body);
  };

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      if ((request.url ?? '').startsWith('/__proxy/')) return control(request, response, body);
      const sandbox = (request.url ?? '').startsWith('/__sim/');
      if (!sandbox) state.stats.requests++;
      const kind: FaultKind | undefined =
        !sandbox && random() < state.rate ? FAULT_KINDS[Math.floor(random() * FAULT_KINDS.length)] : undefined;
      if (kind) faults[kind]++;
      const pass = (status: number, headers: IncomingMessage['headers'], answer: Buffer) => {
        if (kind === 'lost-answer') return injected(response, 504);
        if (kind === 'cut-answer') return void response.socket?.destroy();
        response.writeHead(status, headers);
        response.end(answer);
      };
      const broken = () => response.socket?.destroy();
      switch (kind) {
        case 'unavailable':
          return injected(response, [500, 502, 503][Math.floor(random() * 3)]!);
        case 'rate-limited':
          return injected(response, 429, { 'retry-after': '1' });
        case 'dropped':
          return void response.socket?.destroy();
        case 'slow':
          return void setTimeout(() => forward(request, body, pass, broken), 300 + Math.floor(random() * 2200));
        default:
          return forward(request, body, pass, broken);
      }
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}
