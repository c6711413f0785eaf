import { closeSync, constants, openSync, writeSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SerialPort } from 'serialport';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeFrame, encodeJsonPayload, FrameType, StreamDecoder, decodeJsonPayload } from '../../../common/serial';
import { SerialLink } from '../../../main/serial';
import { SecretRedactor } from '../../../main/security/secret-redactor';
import { startPtyPair, type PtyPair } from '../../../simulators/device/pty-pair';

let dir: string;
let pair: PtyPair;
let device: SerialPort;
let deviceFd: number;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'keyline-busy-'));
  pair = await startPtyPair(path.join(dir, 'station'), path.join(dir, 'device'));
  device = new SerialPort({ path: pair.deviceLink, baudRate: 115200, autoOpen: false });
  await new Promise<void>((resolve, reject) => device.open((error) => (error ? reject(error) : resolve())));
  // A second descriptor on the device's end, for writes that are in the kernel when the call returns.
  deviceFd = openSync(pair.deviceLink, constants.O_RDWR | constants.O_NOCTTY);
});
afterEach(async () => {
  closeSync(deviceFd);
  if (device.isOpen) await new Promise<void>((resolve) => device.close(() => resolve()));
  await pair.close();
  await rm(dir, { recursive: true, force: true });
});

/** Keeps this process's event loop busy, as a long synchronous task or a starved CPU does. */
function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

const slots = { active: null, staged: null, previous: null, pending: true };

describe('a station whose event loop is busy while a reply arrives', () => {
  it('reads the reply whole instead of calling it truncated (commit is never retried)', async () => {
    const link = await SerialLink.open({ path: pair.stationLink, redactor: new SecretRedactor() });
    try {
      const decoder = new StreamDecoder();
      const sawStart = new Promise<void>((resolve) =>
        link.client.on('log', (line) => line.text.includes('commit: writing') && resolve()),
      );
      device.on('data', (chunk: Buffer) => {
        for (const item of decoder.push(chunk)) {
          if (item.kind !== 'frame' || decodeJsonPayload(item.frame.payload)?.['op'] !== 'commit') continue;
          const reply = encodeFrame({
            version: 1,
            type: FrameType.reply,
            id: item.frame.id,
            payload: encodeJsonPayload({ ok: true, slots }),
          });
          // The device's log line and the first bytes of its reply arrive together...
          writeSync(deviceFd, Buffer.concat([Buffer.from('I (1) prov: commit: writing\r\n'), reply.subarray(0, 20)]));
          void sawStart.then(() => {
            // ...the rest lands in the kernel's buffer while the station is busy for longer than
            // the stall allowance (100 ms + twice the frame's wire time).
            writeSync(deviceFd, reply.subarray(20));
            busy(400);
          });
        }
      });
      await expect(link.client.commit()).resolves.toEqual(slots);
    } finally {
      await link.close();
    }
  });
});
