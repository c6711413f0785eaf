import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SerialPort } from 'serialport';
import {
  decodeJsonPayload,
  encodeFrame,
  encodeJsonPayload,
  FrameType,
  type Operation,
  StreamDecoder,
} from '../../../common/serial';
import { startPtyPair, type PtyPair } from '../../../simulators/device/pty-pair';

/** What a hostile unit answers to one request: the bytes to write, in order (nothing = no answer). */
export type Answer = (request: { op: Operation; id: number; body: Record<string, unknown> }) => Uint8Array[];

export interface HostileDevice {
  /** The station's end of the pty pair. */
  readonly link: string;
  readonly requests: Array<{ op: Operation; id: number }>;
  /** Writes raw bytes from the unit (log text, forged frames). */
  write(bytes: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

/**
 * A fake unit on the far end of a real socat pty pair that says whatever the test wants: it is not
 * the device simulator (which follows the protocol) but a device that lies, floods and forges.
 */
export async function startHostileDevice(answer: Answer): Promise<HostileDevice> {
  const scratch = await mkdtemp(path.join(tmpdir(), 'keyline-hostile-'));
  const pair: PtyPair = await startPtyPair(path.join(scratch, 'tty'), path.join(scratch, 'unit'));
  const port = new SerialPort({ path: pair.deviceLink, baudRate: 115200, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
  port.on('error', () => undefined);
  const decoder = new StreamDecoder();
  const requests: Array<{ op: Operation; id: number }> = [];
  const write = (bytes: Uint8Array) =>
    new Promise<void>((resolve) => {
      if (!port.isOpen) return resolve();
      port.write(Buffer.from(bytes), () => port.drain(() => resolve()));
    });
  port.on('data', (chunk: Buffer) => {
    for (const item of decoder.push(new Uint8Array(chunk))) {
      if (item.kind !== 'frame') continue;
      const body = decodeJsonPayload(item.frame.payload) ?? {};
      const request = { op: body['op'] as Operation, id: item.frame.id, body };
      requests.push({ op: request.op, id: request.id });
      void (async () => {
        for (const bytes of answer(request)) await write(bytes);
      })();
    }
  });
  return {
    link: pair.stationLink,
    requests,
    write,
    async close() {
      if (port.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
      await pair.close();
      await rm(scratch, { recursive: true, force: true });
    },
  };
}

export const reply = (id: number, body: Record<string, unknown>, type: FrameType = FrameType.reply) =>
  encodeFrame({ version: 1, type, id, payload: encodeJsonPayload(body) });

export const bytesOf = (text: string) => new TextEncoder().encode(text);

export const EMPTY_SLOTS = { active: null, staged: null, previous: null, pending: false };

export function helloReply(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ok: true,
    proto: 1,
    model: 'KL-HOSTILE',
    hwid: 'HOSTILE-1',
    fw: '6.6.6',
    caps: ['test', 'identify', 'log'],
    maxPayload: 16384,
    clock: { unix: Math.floor(Date.now() / 1000), valid: true },
    uptimeMs: 1,
    boots: 1,
    slots: EMPTY_SLOTS,
    ...fields,
  };
}
