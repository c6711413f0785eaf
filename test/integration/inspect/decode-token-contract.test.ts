/**
 * `inspect.decodeToken` through the real web host and dispatcher, the way the Inspect screen calls
 * it, with every log line of the station captured at the most verbose level.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { DecodedToken } from '../../../common/contract/inspect';
import { WIRE_PROTOCOL, WIRE_TOKEN_PREFIX } from '../../../common/contract/wire';
import { composeStation, type Station } from '../../../main/host/compose';
import { createLogger } from '../../../main/host/logger';
import { startWebHost, type WebHost } from '../../../main/host/web-host';
import { mintApplicationApiToken, mintDeviceToken } from './mint-tokens';

const logLines: string[] = [];
let station: Station;
let host: WebHost;
let rendererDir: string;
let socket: WebSocket;
let nextId = 1;

beforeAll(async () => {
  rendererDir = await mkdtemp(path.join(tmpdir(), 'keyline-inspect-renderer-'));
  await writeFile(path.join(rendererDir, 'index.html'), '<!doctype html><title>Keyline</title>');
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      logLines.push(String(chunk));
      callback();
    },
  });
  // No redactor on this logger: the test proves the token is never logged at all, not just masked.
  const logger = createLogger({ level: 'trace', destination });
  station = await composeStation({ host: 'web', logger });
  host = await startWebHost({ dispatch: station.dispatch, events: station.events, rendererDir, logger });
  socket = new WebSocket(`ws://127.0.0.1:${host.port}/contract`, [WIRE_PROTOCOL, `${WIRE_TOKEN_PREFIX}${host.token}`], {
    origin: host.origin,
  });
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
});

afterAll(async () => {
  socket.close();
  await host.close();
  await station.close();
  await rm(rendererDir, { recursive: true, force: true });
});

type CallResult = { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } };

function call(method: string, args: unknown): Promise<{ result: CallResult; raw: string }> {
  const id = nextId++;
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const raw = data.toString();
      const message = JSON.parse(raw) as { type: string; id?: number; result?: CallResult };
      if (message.type === 'result' && message.id === id) {
        socket.off('message', onMessage);
        resolve({ result: message.result!, raw });
      }
    };
    socket.on('message', onMessage);
    socket.send(JSON.stringify({ type: 'call', id, method, args }));
  });
}

describe('inspect.decodeToken over the web host', () => {
  it('answers with the decoded view, never the token', async () => {
    const token = await mintDeviceToken(Date.now());
    const { result, raw } = await call('inspect.decodeToken', { token });
    expect(result.ok).toBe(true);
    const decoded = DecodedToken.parse((result as { value: unknown }).value);
    expect(decoded.kind).toBe('device');
    expect(decoded.warnings.map((warning) => warning.code)).toEqual(['NEVER_EXPIRES', 'SIGNATURE_NOT_VERIFIED']);
    expect(raw).not.toContain(token);
    expect(raw).not.toContain(token.split('.')[2]);
  });

  it('flags a broad application token', async () => {
    const token = await mintApplicationApiToken(Date.now(), ['all.Application']);
    const { result } = await call('inspect.decodeToken', { token });
    const decoded = DecodedToken.parse((result as { value: unknown }).value);
    expect(decoded.scopes?.broaderThan?.suggested).toEqual(['all.Application.bounded']);
  });

  it('turns every kind of bad input into a typed error that does not quote it', async () => {
    const secretish = 'Zq3vY0mJc9c7W0b1x2y3zA4B5C6D7E8F9G0H1I2J3K4';
    const cases: Array<[unknown, string]> = [
      [{ token: '' }, 'INSPECT_TOKEN_EMPTY'],
      [{ token: `<html><body>${secretish}</body></html>` }, 'INSPECT_NOT_A_TOKEN'],
      [{ token: `eyJhbGciOiJFUzI1NiJ9.${secretish}.${secretish}` }, 'INSPECT_TOKEN_MALFORMED'],
      [{ token: secretish.repeat(400) }, 'CONTRACT_INVALID_ARGUMENT'],
      [{ token: 42 }, 'CONTRACT_INVALID_ARGUMENT'],
      [{ token: secretish, extra: secretish }, 'CONTRACT_INVALID_ARGUMENT'],
      [{}, 'CONTRACT_INVALID_ARGUMENT'],
    ];
    for (const [args, code] of cases) {
      const { result, raw } = await call('inspect.decodeToken', args);
      expect(result).toMatchObject({ ok: false, error: { code } });
      expect(raw).not.toContain(secretish);
    }
  });

  it('wrote no token to the station log', async () => {
    const tokens = [
      await mintDeviceToken(Date.now()),
      await mintApplicationApiToken(Date.now() - 2 * 86_400_000, ['all.Organization'], Date.now() / 1000 - 60),
    ];
    for (const token of tokens)
      expect((await call('inspect.decodeToken', { token: `Bearer ${token}` })).result.ok).toBe(true);
    const log = logLines.join('');
    // The station does log each inspection (kind and warnings), so there is something to scan.
    expect(log.match(/inspected a token/g)?.length).toBeGreaterThanOrEqual(tokens.length);
    for (const token of tokens) {
      expect(log).not.toContain(token);
      expect(log).not.toContain(token.split('.')[2]);
      expect(log).not.toContain(Buffer.from(token).toString('base64'));
    }
    expect(log).not.toContain('Zq3vY0mJc9c7W0b1x2y3zA4B5C6D7E8F9G0H1I2J3K4');
  });
});
