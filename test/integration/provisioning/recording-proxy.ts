import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback HTTP proxy in front of the platform simulator that remembers every credential the
 * platform hands out (`secret` of a new access key, `token` of a device login). The station and
 * the devices talk through it exactly as they would to the platform; tests then scan what the
 * station wrote and printed for those values. It never changes a byte of the traffic.
 */
export interface RecordingProxy {
  readonly url: string;
  readonly secrets: Set<string>;
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

export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const upstream = new URL(target);
  const secrets = new Set<string>();
  const server: Server = createServer((req, res) => {
    const forward = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
      },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          const body = Buffer.concat(chunks);
          try {
            collect(JSON.parse(body.toString('utf8')), secrets);
          } catch {
            // Not JSON: nothing to remember.
          }
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          res.end(body);
        });
        answer.on('error', () => res.destroy());
      },
    );
    forward.on('error', () => res.destroy());
    req.on('aborted', () => forward.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    secrets,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
