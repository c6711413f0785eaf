/**
 * A scripted OAuth server for the unit tests of this folder only: it answers metadata, token,
 * revocation and device endpoints with whatever a test queues. The real protocol is tested
 * against the platform simulator's oidc-provider in test/integration/auth/.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ScriptedAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface RecordedRequest {
  method: string;
  path: string;
  form: URLSearchParams;
  body: string;
}

export interface FakeOAuthServer {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Answers for a path, used in order; the last one repeats. */
  answer(path: string, ...answers: ScriptedAnswer[]): void;
  metadata(overrides?: Record<string, unknown>): Record<string, unknown>;
  close(): Promise<void>;
}

export async function startFakeOAuthServer(): Promise<FakeOAuthServer> {
  const scripts = new Map<string, ScriptedAnswer[]>();
  const requests: RecordedRequest[] = [];
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const path = new URL(request.url ?? '/', 'http://x').pathname;
      requests.push({ method: request.method ?? 'GET', path, form: new URLSearchParams(body), body });
      const queue = scripts.get(path);
      const answer = queue && queue.length > 1 ? queue.shift()! : queue?.[0];
      if (!answer) {
        response.writeHead(404, { 'Content-Type': 'application/json' }).end('{"error":"not_found"}');
        return;
      }
      response
        .writeHead(answer.status, { 'Content-Type': 'application/json', ...answer.headers })
        .end(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const metadata = (overrides: Record<string, unknown> = {}) => ({
    issuer: url,
    authorization_endpoint: `${url}/oauth/authorize`,
    token_endpoint: `${url}/oauth/token`,
    revocation_endpoint: `${url}/oauth/revoke`,
    device_authorization_endpoint: `${url}/oauth/device`,
    registration_endpoint: `${url}/oauth/clients`,
    code_challenge_methods_supported: ['S256'],
    ...overrides,
  });
  return {
    url,
    requests,
    answer(path, ...answers) {
      scripts.set(path, answers);
    },
    metadata,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A JWT-shaped access token with the claims the simulator puts in (unsigned: the station never verifies it). */
export function fakeAccessToken(claims: Record<string, unknown> = {}): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const nonce = Math.random().toString(36).slice(2);
  return `${part({ alg: 'ES256', typ: 'at+jwt' })}.${part({ roleCap: 'collaborate', jti: nonce, ...claims })}.c2lnbmF0dXJl`;
}
