// Serial link benchmark: round trips of `hello` and `stage` over a real pty at 115200 baud against
// the device simulator (output paced to the baud rate), next to the wire-time floor, plus frames
// per second over the link and in the station's parser alone.
//   npm run bench:serial [-- --runs 50 --lanes 8 --baud 115200]
import { parseArgs } from 'node:util';
import { encodeFrame, encodeJsonPayload, FrameType, StreamDecoder, wireTimeMs } from '../common/serial';
import { SerialLink, type TraceEntry } from '../main/serial';
import { SecretRedactor } from '../main/security/secret-redactor';
import { startDeviceFarm } from '../simulators/device';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '50' },
    lanes: { type: 'string', default: '8' },
    baud: { type: 'string', default: '115200' },
    'flash-ms': { type: 'string', default: '30' },
  },
});
const runs = Number(values.runs);
const lanes = Number(values.lanes);
const baudRate = Number(values.baud);
const flashWriteMs = Number(values['flash-ms']);

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

interface Measured {
  samples: number[];
  /** From the reply frame leaving the parser to the caller's await resolving. */
  station: number[];
  requestBytes: number;
  replyBytes: number;
}

let replySeenAt = 0;

async function measure(link: SerialLink, traces: TraceEntry[], op: () => Promise<unknown>): Promise<Measured> {
  const samples: number[] = [];
  const station: number[] = [];
  let requestBytes = 0;
  let replyBytes = 0;
  for (let i = 0; i < runs; i++) {
    traces.length = 0;
    const started = performance.now();
    await op();
    const done = performance.now();
    samples.push(done - started);
    station.push(done - replySeenAt);
    requestBytes = traces.find((t) => t.direction === 'tx')?.bytes ?? 0;
    replyBytes = traces.find((t) => t.direction === 'rx' && t.kind === 'reply' && t.bytes > 0)?.bytes ?? 0;
  }
  samples.sort((a, b) => a - b);
  station.sort((a, b) => a - b);
  return { samples, station, requestBytes, replyBytes };
}

function report(name: string, measured: Measured, deviceMs: number): string {
  const floor = wireTimeMs(measured.requestBytes + measured.replyBytes, baudRate);
  const p50 = percentile(measured.samples, 50);
  return [
    `${name.padEnd(6)} request ${measured.requestBytes} B + reply ${measured.replyBytes} B`,
    `wire floor ${fmt(floor)}`,
    `device (simulated) ${fmt(deviceMs)}`,
    `round trip p50 ${fmt(p50)} p95 ${fmt(percentile(measured.samples, 95))} min ${fmt(measured.samples[0]!)}`,
    `rest p50 ${fmt(p50 - floor - deviceMs)} of which station ${fmt(percentile(measured.station, 50))}`,
  ].join(' | ');
}

async function main() {
  const farm = await startDeviceFarm(Math.max(1, lanes), { baudRate, chatterMs: 0, bootMs: 50, flashWriteMs });
  const redactor = new SecretRedactor();
  const links: SerialLink[] = [];
  try {
    for (const device of farm.devices) {
      const link = await SerialLink.open({ path: device.link, redactor, baudRate });
      links.push(link);
      await device.whenReady();
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    const link = links[0]!;
    const traces: TraceEntry[] = [];
    link.client.on('trace', (entry) => {
      if (entry.direction === 'rx' && entry.kind === 'reply' && entry.bytes > 0) replySeenAt = performance.now();
      traces.push(entry);
    });
    await link.client.hello();

    console.log(`Serial link benchmark: ${runs} runs, ${baudRate} baud 8N1, pty + device simulator (paced output)\n`);
    const hello = await measure(link, traces, () => link.client.hello());
    console.log(report('hello', hello, 2));
    const credentials = {
      deviceId: '65f1c0de4b1d2a0012345678',
      key: '4c1a9f2e-7b3d-4e8a-9c61-0f5d2b7a3e19',
      keyId: '65f1c0de4b1d2a0087654321',
      secret: 'bench-secret-0123456789abcdef0123456789abcdef',
      apiUrl: 'https://api.losant.com',
    };
    const release = redactor.add(credentials.secret);
    const stage = await measure(link, traces, () => link.client.stage(credentials));
    release();
    console.log(report('stage', stage, flashWriteMs));

    // Frames per second over one link: back-to-back hellos, two frames each.
    const seconds = 3;
    let exchanges = 0;
    const until = performance.now() + seconds * 1000;
    while (performance.now() < until) {
      await link.client.hello();
      exchanges++;
    }
    const perExchange = wireTimeMs(hello.requestBytes + hello.replyBytes, baudRate);
    console.log(
      `\nlink, 1 lane: ${(exchanges / seconds).toFixed(1)} hello exchanges/s = ${((2 * exchanges) / seconds).toFixed(1)} frames/s` +
        ` (wire limit ${(1000 / perExchange).toFixed(1)} exchanges/s)`,
    );

    if (links.length > 1) {
      let total = 0;
      const end = performance.now() + seconds * 1000;
      await Promise.all(
        links.map(async (lane) => {
          while (performance.now() < end) {
            await lane.client.hello();
            total++;
          }
        }),
      );
      console.log(
        `link, ${links.length} lanes: ${(total / seconds).toFixed(1)} exchanges/s = ${((2 * total) / seconds).toFixed(1)} frames/s` +
          ` (${(total / seconds / links.length).toFixed(1)} per lane)`,
      );
    }

    // The station's parser alone, in memory: how far it is from being the bottleneck.
    const frame = encodeFrame({
      version: 1,
      type: FrameType.reply,
      id: 1,
      payload: encodeJsonPayload({ ok: true, slots: {} }),
    });
    const log = new TextEncoder().encode('I (1234) wifi: sta rssi -61 dBm\r\n');
    const chunk = new Uint8Array((frame.length + log.length) * 1000);
    for (let i = 0; i < 1000; i++) {
      chunk.set(frame, i * (frame.length + log.length));
      chunk.set(log, i * (frame.length + log.length) + frame.length);
    }
    const decoder = new StreamDecoder();
    let frames = 0;
    const parseStart = performance.now();
    for (let i = 0; i < 200; i++) for (const item of decoder.push(chunk)) if (item.kind === 'frame') frames++;
    const parseSeconds = (performance.now() - parseStart) / 1000;
    console.log(
      `parser alone: ${Math.round(frames / parseSeconds).toLocaleString('en-US')} frames/s with a log line between frames ` +
        `(${((chunk.length * 200) / parseSeconds / 1e6).toFixed(1)} MB/s; one 115200 baud port carries 0.0115 MB/s)`,
    );
  } finally {
    await Promise.all(links.map((link) => link.close()));
    await farm.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
