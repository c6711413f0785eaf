import { writeSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { encodeFrame, encodeJsonPayload, FrameType, StreamDecoder, decodeJsonPayload } from '../../../common/serial';
import { SerialLink } from '../../../main/serial';
import { SecretRedactor } from '../../../main/security/secret-redactor';
import { useRawDevice } from './raw-device';

const raw = useRawDevice('keyline-busy-');

/** Keeps this process's event loop busy, as a long synchronous task or a starved CPU does. */
function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

const slots = { active: null, staged: null, previous: null, pending: true };

describe('a station whose event loop is busy while a reply arrives', () => {
  it('reads the reply whole instead of calling it truncated (commit is never retried)', async () => {
    const link = await SerialLink.open({ path: raw.stationLink, redactor: new SecretRedactor() });
    try {
      const decoder = new StreamDecoder();
      const sawStart = new Promise<void>((resolve) =>
        link.client.on('log', (line) => line.text.includes('commit: writing') && resolve()),
      );
      raw.device.on('data', (chunk: Buffer) => {
        for (const item of decoder.push(chunk)) {
          if (item.kind !== 'frame' || decodeJsonPayload(item.frame.payload)?.['op'] !== 'commit') continue;
          const reply = encodeFrame({
            version: 1,
            type: FrameType.reply,
            id: item.frame.id,
            payload: encodeJsonPayload({ ok: true, slots }),
          });
          // The device's log line and the first bytes of its reply arrive together...
          writeSync(
            raw.deviceFd,
            Buffer.concat([Buffer.from('I (1) prov: commit: writing\r\n'), reply.subarray(0, 20)]),
          );
          void sawStart.then(() => {
            // ...the rest lands in the kernel's buffer while the station is busy for longer than
            // the stall allowance (100 ms + twice the frame's wire time).
            writeSync(raw.deviceFd, reply.subarray(20));
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
