/**
 * How long support waits for an answer: `npm run bench:inspect [-- --runs 20]` provisions a
 * simulated unit on a pty against the platform simulator, then times diagnoses over serial (with
 * and without the device's own test login), by device id, the side-by-side view and the key list,
 * and prints p50 / p95 / max per kind.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { InspectService, tokenPlatformSource } from '../main/inspect';
import { PlatformClient, staticTokenSource } from '../main/platform';
import { SecretRedactor } from '../main/security/secret-redactor';
import { SerialLink } from '../main/serial';
import { startDeviceSimulator } from '../simulators/device';
import { startPlatformSimulator } from '../simulators/platform';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' } } });
const runs = Number(values.runs);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

async function time(label: string, run: () => Promise<unknown>): Promise<void> {
  await run(); // warm-up
  const samples: number[] = [];
  for (let index = 0; index < runs; index++) {
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
  console.log(
    `${label.padEnd(44)} p50 ${fmt(percentile(samples, 0.5)).padStart(9)}  p95 ${fmt(percentile(samples, 0.95)).padStart(9)}  max ${fmt(samples.at(-1)!).padStart(9)}`,
  );
}

async function main(): Promise<void> {
  const sim = await startPlatformSimulator({
    port: 0,
    host: '127.0.0.1',
    stateRateLimit: { reports: 1_000_000, windowSeconds: 15 },
  });
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'keyline-bench-inspect-'));
  const device = await startDeviceSimulator({ chatterMs: 0, hwid: 'BENCH-1' });
  try {
    await device.whenReady();
    const appId = sim.seed.applicationId;
    const admin = new PlatformClient({ apiUrl: sim.url, tokens: staticTokenSource(sim.seed.apiToken) });
    const platformDevice = await admin.devices.create(appId, {
      name: 'bench probe',
      tags: [{ key: 'hwid', value: device.hwid }],
      attributes: [{ name: 'keylineNonce', dataType: 'string' }],
    });
    const key = (await admin.keys.create(appId, { name: 'keyline-bench', deviceIds: [platformDevice.id] })).value;
    const redactor = new SecretRedactor();
    const link = await SerialLink.open({ path: device.link, redactor });
    await link.client.stage({
      deviceId: platformDevice.id,
      key: key.key,
      keyId: key.id,
      secret: key.secret,
      apiUrl: sim.url,
    });
    await link.client.commit();
    await link.client.confirm();
    await link.close();

    const service = new InspectService({
      redactor,
      source: tokenPlatformSource({ apiUrl: sim.url, token: sim.seed.apiToken, redactor, origin: 'bench' }),
      dataDir,
      station: 'bench',
    });
    console.log(
      `Inspector benchmark: ${runs} runs each, platform simulator in-process, one unit on a pty at 115200 baud\n`,
    );
    await time('diagnose --port (with the device test)', () => service.diagnose({ port: device.link }));
    await time('diagnose --port --no-test', () => service.diagnose({ port: device.link, deviceTest: false }));
    await time('diagnose --device --app', () =>
      service.diagnose({ deviceId: platformDevice.id, applicationId: appId }),
    );
    await time('compare with the platform (hello + lookups)', () => service.serial(device.link));
    await time('list access keys', () => service.keys());
    await time('device details (log, state, keys)', () => service.device(platformDevice.id));
  } finally {
    await device.close();
    await sim.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
