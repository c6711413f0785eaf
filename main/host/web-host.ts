import { randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  WIRE_MAX_MESSAGE_BYTES,
  WIRE_PROTOCOL,
  WIRE_TOKEN_PREFIX,
  WireCall,
  type WireServerMessage,
} from '../../common/contract/wire';
import { contentSecurityPolicy, securityHeaders } from './csp';
import type { Dispatch } from './dispatcher';
import type { EventHub } from './event-hub';
import type { Logger } from './logger';
import { readStaticFile } from './static-files';

export interface WebHostOptions {
  dispatch: Dispatch;
  events: EventHub;
  rendererDir: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  logger?: Logger;
  /** Fixed only in tests; otherwise 32 random bytes per launch. */
  token?: string;
}

export interface WebHost {
  /** The address to open, with the token in the fragment (never sent to the server in a request line). */
  readonly url: string;
  readonly origin: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

/** The web host only ever listens on loopback: a station is not a network service. */
export const WEB_HOST_ADDRESS = '127.0.0.1';

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function tokenFromProtocols(header: string | undefined): string | undefined {
  const offered = (header ?? '').split(',').map((part) => part.trim());
  if (!offered.includes(WIRE_PROTOCOL)) return undefined;
  return offered.find((part) => part.startsWith(WIRE_TOKEN_PREFIX))?.slice(WIRE_TOKEN_PREFIX.length);
}

/**
 * Serves the built renderer and the contract over a WebSocket on 127.0.0.1. Three checks keep
 * other pages and processes out: the Host header must name this listener (DNS rebinding), the
 * Origin must be this listener's, and the socket must present the per-launch token.
 */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? randomBytes(32).toString('hex');
  const server = http.createServer();
  const sockets = new WebSocketServer({ noServer: true, maxPayload: WIRE_MAX_MESSAGE_BYTES });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, WEB_HOST_ADDRESS, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://${WEB_HOST_ADDRESS}:${port}`;
  const expectedHost = `${WEB_HOST_ADDRESS}:${port}`;
  const csp = contentSecurityPolicy({ connect: [`ws://${expectedHost}`] });
  const headers = securityHeaders(csp);

  server.on('request', (request, response) => {
    if (request.headers.host !== expectedHost) {
      response.writeHead(421, { 'Content-Type': 'text/plain' }).end('Misdirected request');
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain' }).end('Method not allowed');
      return;
    }
    void readStaticFile(options.rendererDir, request.url ?? '/').then((file) => {
      if (!file) {
        response.writeHead(404, { ...headers, 'Content-Type': 'text/plain' }).end('Not found');
        return;
      }
      response.writeHead(200, { ...headers, 'Content-Type': file.contentType });
      response.end(request.method === 'HEAD' ? undefined : file.body);
    });
  });

  server.on('upgrade', (request, socket, head) => {
    const refuse = (status: number, reason: string) => {
      options.logger?.warn({ status, reason }, 'web host refused a socket');
      socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\n\r\n`);
    };
    if (request.url !== '/contract') return refuse(404, 'Not Found');
    if (request.headers.host !== expectedHost) return refuse(421, 'Misdirected Request');
    if (request.headers.origin !== origin) return refuse(403, 'Forbidden');
    const presented = tokenFromProtocols(request.headers['sec-websocket-protocol']);
    if (!presented || !sameSecret(presented, token)) return refuse(401, 'Unauthorized');
    sockets.handleUpgrade(request, socket, head, (ws) => serveSocket(ws));
  });

  function send(ws: WebSocket, message: WireServerMessage): void {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  }

  function serveSocket(ws: WebSocket): void {
    const unsubscribe = options.events.subscribe((event, payload) => send(ws, { type: 'event', event, payload }));
    ws.on('close', unsubscribe);
    ws.on('error', () => ws.terminate());
    ws.on('message', (data, isBinary) => {
      let raw: unknown;
      try {
        raw = isBinary ? undefined : JSON.parse(data.toString());
      } catch {
        raw = undefined;
      }
      const call = WireCall.safeParse(raw);
      if (!call.success) {
        send(ws, {
          type: 'error',
          error: {
            code: 'CONTRACT_MALFORMED_MESSAGE',
            message: 'Expected {type:"call", id, method, args} as JSON text',
          },
        });
        return;
      }
      const { id, method, args } = call.data;
      void options.dispatch(method, args, { host: 'web' }).then((result) => send(ws, { type: 'result', id, result }));
    });
  }

  // The subprotocol must be echoed back or browsers drop the socket; never echo the token.
  sockets.options.handleProtocols = () => WIRE_PROTOCOL;

  return {
    url: `${origin}/#token=${token}`,
    origin,
    port,
    token,
    async close() {
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
