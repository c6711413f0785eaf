/**
 * A device that lies, on a real pty: the station's serial link (serialport, the frame parser and
 * the protocol client) against a fake unit that forges fingerprints, puts markup and terminal
 * escapes in its model name and error messages, sends oversized fields, and floods the line with
 * an endless log line. Each gets a typed error or is shown as escaped text, the secret never
 * appears, and the link keeps working.
 */
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { SerialLink, type DeviceLogLine, type TraceEntry } from '../../../main/serial';
import { SecretRedactor } from '../../../main/security/secret-redactor';
import {
  bytesOf,
  EMPTY_SLOTS,
  helloReply,
  reply,
  startHostileDevice,
  type Answer,
  type HostileDevice,
} from './hostile-device';

const SECRET = 'hostile-device-secret-0123456789-abcdefghij';
const KEY = 'hostile-key-0001';
const DEVICE_ID = 'aaaaaaaaaaaaaaaaaaaaaaaa';
const FORMS = [SECRET, Buffer.from(SECRET).toString('hex'), Buffer.from(SECRET).toString('base64').replace(/=+$/, '')];
// eslint-disable-next-line no-control-regex -- the point is to find control characters.
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/;

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const item of open.splice(0).reverse()) await item.close();
});

interface Station {
  device: HostileDevice;
  link: SerialLink;
  redactor: SecretRedactor;
  logs: DeviceLogLine[];
  traces: TraceEntry[];
}

async function station(answer: Answer): Promise<Station> {
  const device = await startHostileDevice(answer);
  open.push(device);
  const redactor = new SecretRedactor();
  const link = await SerialLink.open({ path: device.link, redactor, timeouts: { hello: 300, stage: 300 } });
  open.push(link);
  const logs: DeviceLogLine[] = [];
  const traces: TraceEntry[] = [];
  link.client.on('log', (line) => logs.push(line));
  link.client.on('trace', (entry) => traces.push(entry));
  return { device, link, redactor, logs, traces };
}

const credentials = { deviceId: DEVICE_ID, key: KEY, secret: SECRET, apiUrl: 'http://127.0.0.1:9' };

async function settle<T>(promise: Promise<T>): Promise<{ value?: T; error?: { code: string; message: string } }> {
  try {
    return { value: await promise };
  } catch (error) {
    return { error: error as { code: string; message: string } };
  }
}

function expectNoSecret(...texts: string[]): void {
  for (const text of texts) for (const form of FORMS) expect(text).not.toContain(form);
}

describe('a lying device on a real pty', () => {
  it('is caught by its fingerprint when it claims to have stored what it did not', async () => {
    const { link, logs, traces, redactor } = await station(({ op, id }) => {
      if (op === 'hello') return [reply(id, helloReply())];
      if (op === 'stage') {
        const forged = createHash('sha256').update(`${KEY}:not-the-secret`).digest('hex');
        return [
          bytesOf(`I (5) creds: got secret ${SECRET}\n`),
          reply(id, { ok: true, fp: forged, slots: EMPTY_SLOTS }),
        ];
      }
      return [];
    });
    await link.client.hello();
    // The pipeline holds the secret (and its redactor registration) from mint to verify.
    const release = redactor.add(SECRET);
    const outcome = await settle(link.client.stage(credentials));
    release();
    expect(outcome.error?.code).toBe('SERIAL_FINGERPRINT_MISMATCH');
    expectNoSecret(outcome.error!.message, JSON.stringify(logs), JSON.stringify(traces));
    expect(logs.map((line) => line.text)).toContain('I (5) creds: got secret [REDACTED]');
  });

  it('passes markup and terminal escapes in hello on as data, and escapes them in log lines and errors', async () => {
    const model = '<img src=x onerror=alert(1)>\u001b[2J';
    const { link, logs } = await station(({ op, id }) => {
      if (op === 'hello')
        return [bytesOf('\u001b]0;pwned\u0007<script>alert(1)</script>\u009b31m\n'), reply(id, helloReply({ model }))];
      if (op === 'commit')
        return [
          reply(id, {
            ok: false,
            error: { code: 'BUSY\u001b[2J', message: '\u001b[1A\u001b[2Kpassed\r\n', field: 'x\u0007' },
          }),
        ];
      return [];
    });
    // hello is data: the client hands the exact string to its caller, which decides how to show it.
    expect((await link.client.hello()).model).toBe(model);
    await until(() => logs.length > 0);
    expect(logs[0]!.text).toBe('\\x1b]0;pwned\\x07<script>alert(1)</script>\\x9b31m');
    const refused = await settle(link.client.commit());
    expect(refused.error?.code).toBe('SERIAL_DEVICE_ERROR');
    expect(refused.error!.message).not.toMatch(CONTROL);
    expect(refused.error!.message).toContain('BUSY\\x1b[2J');
    expect(refused.error!.message).toContain('\\x1b[1A\\x1b[2Kpassed\\x0d\\x0a');
  });

  it('refuses oversized fields and forged maximal headers with typed errors, then answers again', async () => {
    let round = 0;
    const { link } = await station(({ op, id }) => {
      if (op !== 'hello') return [];
      round++;
      // A refused answer is not retried (it would be refused again).
      if (round === 1) return [reply(id, helloReply({ model: 'M'.repeat(10_000) }))];
      if (round === 2) return [reply(id, helloReply({ caps: Array.from({ length: 3000 }, () => 'x') }))];
      if (round === 3)
        // A header announcing 16 KiB followed by garbage, then nothing: the parser gives it up.
        return [
          Uint8Array.of(0xf5, 0x4b, 1, 2, id & 0xff, id >> 8, 0x00, 0x40, 0xff, 0xbf),
          bytesOf('junk'.repeat(50)),
        ];
      return [reply(id, helloReply())];
    });
    expect((await settle(link.client.hello())).error?.code).toBe('SERIAL_BAD_REPLY');
    expect((await settle(link.client.hello())).error?.code).toBe('SERIAL_BAD_REPLY');
    const forged = await settle(link.client.hello());
    // The forged frame holds the parser until twice its wire time (16 KiB at 115200 baud, about
    // 2.9 s) has passed; then it is given up and the station hears the unit again.
    const started = Date.now();
    let info = forged;
    while (info.error && Date.now() - started < 10_000) info = await settle(link.client.hello());
    expect(info.value?.hwid).toBe('HOSTILE-1');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('masks a secret printed across the cut of an over-long log line', async () => {
    const { link, logs, redactor } = await station(({ op, id }) =>
      op === 'hello' ? [bytesOf(`${'x'.repeat(1000)}${SECRET} tail\n`), reply(id, helloReply())] : [],
    );
    const release = redactor.add(SECRET);
    await link.client.hello();
    await until(() => logs.length >= 2);
    release();
    expect(logs[0]!.cut).toBe(true);
    const shown = logs.map((line) => line.text).join('');
    expect(shown).toBe(`${'x'.repeat(1000)}[REDACTED][REDACTED] tail`);
    for (const piece of [SECRET.slice(0, 12), SECRET.slice(-12)]) expect(shown).not.toContain(piece);
  });

  it('keeps working through an endless log line, holding only one line piece at a time', async () => {
    let flooding = true;
    const { device, link, logs } = await station(({ op, id }) => (op === 'hello' ? [reply(id, helloReply())] : []));
    const chunk = bytesOf('z'.repeat(4096));
    let sent = 0;
    const flood = (async () => {
      while (flooding && sent < 4 * 1024 * 1024) {
        await device.write(chunk);
        sent += chunk.length;
      }
    })();
    const before = process.memoryUsage().rss;
    // Requests are answered between flood chunks, as firmware writes a frame between log bytes.
    for (let i = 0; i < 5; i++) expect((await link.client.hello()).hwid).toBe('HOSTILE-1');
    await until(() => sent >= 1024 * 1024, 20_000);
    flooding = false;
    await flood;
    await until(() => logs.length * 1024 >= sent * 0.9, 10_000);
    expect(logs.every((line) => line.text.length <= 1024)).toBe(true);
    expect(logs.filter((line) => line.cut).length).toBeGreaterThan(900);
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * 1024 * 1024);
    expect((await link.client.hello()).hwid).toBe('HOSTILE-1');
  });
});

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
