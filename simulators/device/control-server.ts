import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FaultSpecError } from './faults';
import type { DeviceSimulator } from './simulator';

export interface ControlServer {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Fault control from another process (the pipeline's crash tests kill the station while devices
 * keep running). Loopback only, and only for Host headers naming the loopback listener.
 *
 *   GET  /devices                  every device's state (never a secret)
 *   GET  /devices/{i}              one device's state; {i} is the index or the hwid
 *   PUT  /devices/{i}/faults       body: a fault spec (text) or {"faults": "spec"}; "" clears
 *   POST /devices/{i}/reboot       reset the unit, answer once it booted
 *   POST /devices/{i}/unplug       pull the USB cable (the pty disappears)
 *   POST /devices/{i}/replug       plug it back (a new pty at the same link; the unit boots)
 */
export async function startControlServer(devices: readonly DeviceSimulator[], port = 0): Promise<ControlServer> {
  const server = createServer((request, response) => {
    handle(devices, request, response).catch((error: unknown) => {
      send(response, error instanceof FaultSpecError ? 400 : 500, { error: (error as Error).message });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function handle(devices: readonly DeviceSimulator[], request: IncomingMessage, response: ServerResponse) {
  const host = request.headers.host ?? '';
  if (!/^(127\.0\.0\.1|localhost)(:\d+)?$/.test(host)) return send(response, 403, { error: 'loopback only' });
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  const parts = url.pathname.split('/').filter(Boolean);
  if (parts[0] !== 'devices') return send(response, 404, { error: 'not found' });
  if (parts.length === 1 && request.method === 'GET')
    return send(
      response,
      200,
      devices.map((d) => d.state()),
    );
  const device = devices.find((d, index) => String(index) === parts[1] || d.hwid === parts[1]);
  if (!device) return send(response, 404, { error: `no device ${parts[1]}` });
  const action = parts[2];
  if (action === undefined && request.method === 'GET') return send(response, 200, device.state());
  if (action === 'faults' && request.method === 'PUT') {
    const body = await readBody(request);
    let spec = body;
    if (body.trimStart().startsWith('{')) {
      const parsed = JSON.parse(body) as { faults?: unknown };
      if (typeof parsed.faults !== 'string') throw new FaultSpecError('expected {"faults": "spec"}');
      spec = parsed.faults;
    }
    device.setFaults(spec.trim());
    return send(response, 200, device.state());
  }
  if (request.method === 'POST' && (action === 'reboot' || action === 'unplug' || action === 'replug')) {
    await device[action]();
    return send(response, 200, device.state());
  }
  return send(response, 404, { error: 'not found' });
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > 4096) {
        reject(new FaultSpecError('body too large'));
        request.destroy();
      }
    });
    request.on('end', () => resolve(body));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, status: number, body: unknown): void {
  if (response.headersSent) return;
  response.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
  response.end(JSON.stringify(body));
}
