import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { SeedInfo } from './seed/info';
import { startPlatformSimulator } from './server';

/**
 * `npm run bench:platform`: requests per second for `/auth/device` and for state reports, on
 * loopback. By default the simulator runs as its own process (as it does next to a station) and this
 * process only drives load; `--in-process` runs both in one process.
 */
const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '16' },
    devices: { type: 'string', default: '400' },
    'in-process': { type: 'boolean', default: false },
  },
});
const durationMs = Number(values.duration) * 1000;
const concurrency = Number(values.concurrency);
const deviceCount = Number(values.devices);

const agent = new Agent({ keepAlive: true, maxSockets: concurrency });

function post(
  base: string,
  pathName: string,
  body: unknown,
  token?: string,
): Promise<{ status: number; body: string }> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}${pathName}`,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

async function startChild(): Promise<{ url: string; child: ChildProcess }> {
  const root = path.resolve(__dirname, '../..');
  const child = spawn(path.join(root, 'node_modules/.bin/tsx'), ['simulators/platform/cli.ts', '--port', '0'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /platform listening on (\S+)/.exec(output);
      if (match) resolve(match[1] as string);
    });
    child.once('exit', (code) => reject(new Error(`simulator exited with ${code}`)));
  });
  return { url, child };
}

interface Result {
  ok: number;
  other: Map<number, number>;
  latencies: number[];
  elapsedMs: number;
}

async function run(call: (i: number) => Promise<number>): Promise<Result> {
  const result: Result = { ok: 0, other: new Map(), latencies: [], elapsedMs: 0 };
  const started = performance.now();
  const deadline = started + durationMs;
  let counter = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const begin = performance.now();
        const status = await call(counter++);
        result.latencies.push(performance.now() - begin);
        if (status >= 200 && status < 300) result.ok += 1;
        else result.other.set(status, (result.other.get(status) ?? 0) + 1);
      }
    }),
  );
  result.elapsedMs = performance.now() - started;
  return result;
}

function line(label: string, result: Result): string {
  const sorted = [...result.latencies].sort((a, b) => a - b);
  const at = (q: number) => (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0).toFixed(1);
  const rate = (result.ok / result.elapsedMs) * 1000;
  const other = [...result.other].map(([status, count]) => `${count}×${status}`).join(', ') || 'none';
  return `${label.padEnd(16)} ${rate.toFixed(0).padStart(6)} req/s   p50 ${at(0.5)} ms   p95 ${at(0.95)} ms   (${result.ok} ok, other answers: ${other})`;
}

async function main(): Promise<void> {
  const inProcess = values['in-process'];
  const simulator = inProcess ? await startPlatformSimulator({ port: 0 }) : undefined;
  const child = inProcess ? undefined : await startChild();
  const url = simulator?.url ?? (child?.url as string);
  try {
    const seed = (await (await fetch(`${url}/__sim/seed`)).json()) as SeedInfo;
    const app = `/applications/${seed.applicationId}`;
    const workshop = seed.accessKeys.find(
      (key) => key.status === 'active' && !key.deleted && key.deviceIds.length === 0 && key.deviceTags.length === 0,
    );
    if (!workshop) throw new Error('the seed has no unrestricted access key');

    process.stdout.write(`setting up ${deviceCount} devices...\n`);
    const devices: string[] = [];
    for (let i = 0; i < deviceCount; i++) {
      const created = await post(
        url,
        `${app}/devices`,
        {
          name: `bench-${i}`,
          attributes: [
            { name: 'temperature', dataType: 'number' },
            { name: 'nonce', dataType: 'string' },
          ],
        },
        seed.apiToken,
      );
      devices.push((JSON.parse(created.body) as { id: string }).id);
    }
    const tokens: string[] = [];
    for (const deviceId of devices) {
      const auth = await post(url, '/auth/device', { deviceId, key: workshop.key, secret: workshop.secret });
      tokens.push((JSON.parse(auth.body) as { token: string }).token);
    }

    process.stdout.write(
      `platform simulator benchmark: loopback, ${inProcess ? 'in-process' : 'separate process'}, concurrency ${concurrency}, ${durationMs / 1000} s per run\n`,
    );
    const auth = await run(async (i) => {
      const deviceId = devices[i % devices.length] as string;
      return (await post(url, '/auth/device', { deviceId, key: workshop.key, secret: workshop.secret })).status;
    });
    process.stdout.write(`${line('/auth/device', auth)}\n`);
    const state = await run(async (i) => {
      const index = i % devices.length;
      const deviceId = devices[index] as string;
      return (
        await post(
          url,
          `${app}/devices/${deviceId}/state`,
          { data: { temperature: i % 40, nonce: `n${i}` } },
          tokens[index],
        )
      ).status;
    });
    process.stdout.write(`${line('state reports', state)}\n`);
    process.stdout.write(
      `(state reports are limited to 30 per 15 s per device; ${devices.length} devices share the load)\n`,
    );
  } finally {
    agent.destroy();
    await simulator?.close();
    child?.child.kill('SIGTERM');
  }
}

main().catch((error: Error) => {
  process.stderr.write(`benchmark failed: ${error.message}\n`);
  process.exit(1);
});
