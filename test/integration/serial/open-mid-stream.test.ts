import { writeSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeJsonPayload, encodeFrame, encodeJsonPayload, FrameType, StreamDecoder } from '../../../common/serial';
import { SerialLink } from '../../../main/serial';
import { SecretRedactor } from '../../../main/security/secret-redactor';
import { useRawDevice } from './raw-device';

const raw = useRawDevice('keyline-open-');

const helloReply = {
  ok: true,
  proto: 1,
  model: 'KL-RAW',
  hwid: 'RAW-1',
  fw: '1.0.0',
  caps: [],
  maxPayload: 16384,
  clock: { unix: 1767225600, valid: true },
  uptimeMs: 10,
  boots: 1,
  slots: { active: null, staged: null, previous: null, pending: false },
};

const reply = (id: number, body: Record<string, unknown>) =>
  Buffer.from(encodeFrame({ version: 1, type: FrameType.reply, id, payload: encodeJsonPayload(body) }));

/** Answers every hello, after `before` (bytes the device's UART sends first). */
function answerHello(before: () => Buffer): void {
  const decoder = new StreamDecoder();
  raw.device.on('data', (chunk: Buffer) => {
    for (const item of decoder.push(chunk)) {
      if (item.kind !== 'frame' || decodeJsonPayload(item.frame.payload)?.['op'] !== 'hello') continue;
      writeSync(raw.deviceFd, Buffer.concat([before(), reply(item.frame.id, helloReply)]));
    }
  });
}

describe('a station that opens a port in the middle of the stream (docs §1, §2.3)', () => {
  it('ignores junk and the rest of a frame it joined half-way', async () => {
    // Left in the tty before the station opened it: discarded at open.
    const stale = reply(41, { ok: true, slots: helloReply.slots });
    writeSync(raw.deviceFd, Buffer.concat([Buffer.from([0xf5, 0x4b, 0x00, 0xff, 0x13]), stale.subarray(0, 30)]));
    const link = await SerialLink.open({ path: raw.stationLink, redactor: new SecretRedactor() });
    try {
      // The rest of that frame arrives after the open, then the answer.
      let first = true;
      answerHello(() => (first ? ((first = false), stale.subarray(30)) : Buffer.alloc(0)));
      await expect(link.client.hello()).resolves.toMatchObject({ hwid: 'RAW-1' });
    } finally {
      await link.close();
    }
  });

  it('finds the reply inside half a frame whose header promised more bytes', async () => {
    const link = await SerialLink.open({ path: raw.stationLink, redactor: new SecretRedactor() });
    const damaged: string[] = [];
    link.client.on('trace', (entry) => entry.kind === 'damaged' && damaged.push(entry.text));
    try {
      // A frame cut off by a reset: its header announces over 300 bytes, and the real reply and a
      // log line follow straight after its first 30. The receiver swallows them, fails the CRC,
      // rescans from the next 0xF5 and finds the reply, without waiting for the stall timer.
      const cut = reply(7, { ok: true, pad: 'x'.repeat(300) }).subarray(0, 30);
      let first = true;
      answerHello(() => (first ? ((first = false), cut) : Buffer.alloc(0)));
      raw.device.on('data', () => writeSync(raw.deviceFd, Buffer.from(`I (1) app: ${'.'.repeat(300)}\r\n`)));
      await expect(link.client.hello()).resolves.toMatchObject({ hwid: 'RAW-1' });
      expect(damaged).toEqual(['crc']);
    } finally {
      await link.close();
    }
  });
});
