/**
 * `npm run bench:window`: how long the window blocks while a whole bench of lanes reports
 * (DESIGN.md §5: never more than 50 ms during a batch). Starts the built web host (dist/) with the
 * sandbox holding N simulated units on ptys (KEYLINE_SANDBOX_UNITS), opens it in Chromium, signs in
 * to the sandbox, presses "Start all" and, exactly as test/e2e/station-sandbox.spec.ts does for its
 * batch of four, records every `longtask` entry from just after the click until every tile has
 * finished. Each run starts a fresh host (fresh sandbox, fresh units). Prints one line per run and
 * a JSON line at the end.
 *
 *   npm run bench:window [-- --units 32] [--runs 3] [--profile DIR]
 */
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Browser } from '@playwright/test';
import { chromiumPath } from '../playwright.config';
import { startProcess } from '../test/helpers/process';

const root = path.resolve(__dirname, '..');

interface WindowFigures {
  units: number;
  passed: number;
  batchSeconds: number;
  longTasks: number;
  longestMs: number;
  /** Sum of all long tasks' durations during the batch. */
  longTaskTotalMs: number;
  /** Main-thread time of the page during the batch (Chrome's TaskDuration and ScriptDuration). */
  taskMs: number;
  scriptMs: number;
  /**
   * From a Chrome trace of the batch: the longest task of the page's main thread by wall time and
   * by the thread's own CPU time (which leaves out the time other processes held the core), and
   * the main thread's CPU time over the batch.
   */
  traceLongestMs: number;
  traceLongestCpuMs: number;
  mainThreadCpuMs: number;
  /** WebSocket messages the window received during the batch, and their size, by event (or "result"). */
  messages: number;
  messageKb: number;
  messagesByEvent: Record<string, number>;
  loadAvg: string;
}

const load = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

/** The page's main-thread tasks in a Chrome trace (ThreadControllerImpl::RunTask on CrRendererMain). */
function rendererTasks(trace: Buffer): Pick<WindowFigures, 'traceLongestMs' | 'traceLongestCpuMs' | 'mainThreadCpuMs'> {
  const parsed = JSON.parse(trace.toString('utf8')) as { traceEvents: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(parsed) ? parsed : parsed.traceEvents;
  const main = new Set(
    events
      .filter((event) => event.name === 'thread_name' && event.args?.name === 'CrRendererMain')
      .map((event) => `${event.pid}:${event.tid}`),
  );
  let longest = 0;
  let longestCpu = 0;
  let cpu = 0;
  for (const event of events) {
    if (
      !event.name.endsWith('RunTask') ||
      event.name.startsWith('ThreadPool') ||
      event.ph !== 'X' ||
      !main.has(`${event.pid}:${event.tid}`)
    )
      continue;
    longest = Math.max(longest, (event.dur ?? 0) / 1000);
    longestCpu = Math.max(longestCpu, (event.tdur ?? 0) / 1000);
    cpu += (event.tdur ?? 0) / 1000;
  }
  return {
    traceLongestMs: Math.round(longest),
    traceLongestCpuMs: Math.round(longestCpu),
    mainThreadCpuMs: Math.round(cpu),
  };
}

async function oneBatch(browser: Browser, units: number, profile?: string): Promise<WindowFigures> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'keyline-bench-window-'));
  const host = await startProcess(process.execPath, [path.join(root, 'dist/main/web-main.cjs')], {
    ready: /Open: (http:\/\/127\.0\.0\.1:\d+\/#token=[0-9a-f]+)/,
    cwd: root,
    env: {
      KEYLINE_DATA_DIR: dataDir,
      KEYLINE_SANDBOX: '1',
      KEYLINE_SANDBOX_UNITS: String(units),
      HOME: dataDir,
      DBUS_SESSION_BUS_ADDRESS: '',
    },
    timeoutMs: 90_000,
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  try {
    const page = await context.newPage();
    // Every message the window parses, counted from the click on.
    let counting = false;
    const received = { messages: 0, bytes: 0, byEvent: {} as Record<string, number> };
    page.on('websocket', (socket) =>
      socket.on('framereceived', ({ payload }) => {
        if (!counting) return;
        const text = String(payload);
        const event = /^\{"type":"event","event":"([^"]+)"/.exec(text)?.[1] ?? 'result';
        received.messages += 1;
        received.bytes += Buffer.byteLength(text);
        received.byEvent[event] = (received.byEvent[event] ?? 0) + 1;
      }),
    );
    await page.goto(host.ready[1]!);
    await page
      .getByTestId('lane-tile')
      .nth(units - 1)
      .waitFor({ timeout: 60_000 });
    const popup = context.waitForEvent('page', { timeout: 30_000 });
    await page.getByRole('button', { name: 'Sign in to the sandbox' }).click();
    const tab = await popup;
    await tab.getByRole('button', { name: 'Sign in as the demo technician' }).click();
    await tab.getByRole('button', { name: 'Allow' }).click();
    await tab.getByRole('heading', { name: 'Signed in to Keyline' }).waitFor({ timeout: 30_000 });
    await tab.close();
    await page.getByTestId('sign-in-prompt').waitFor({ state: 'hidden', timeout: 30_000 });

    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const metrics = async () => {
      const { metrics: list } = await cdp.send('Performance.getMetrics');
      const pick = (name: string) => (list.find((metric) => metric.name === name)?.value ?? 0) * 1000;
      return { task: pick('TaskDuration'), script: pick('ScriptDuration') };
    };
    if (profile) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
    }
    const before = await metrics();
    counting = true;
    const started = Date.now();
    await page.getByRole('button', { name: 'Start all' }).click();
    // Traced from just after the click (which primes the audio), like the observer below.
    await browser.startTracing(page, { categories: ['devtools.timeline', 'toplevel'] });
    // The same observer as the end-to-end test, installed just after the click.
    await page.evaluate(() => {
      const longest = { ms: 0, count: 0, total: 0 };
      (window as unknown as { __longTasks: typeof longest }).__longTasks = longest;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
          longest.count += 1;
          longest.total += entry.duration;
          longest.ms = Math.max(longest.ms, entry.duration);
        }
      }).observe({ type: 'longtask' });
    });
    await page.waitForFunction(
      (count) => {
        const tiles = [...document.querySelectorAll('[data-testid="lane-tile"]')];
        const finished = ['passed', 'failed', 'skipped', 'unresolved'];
        return (
          tiles.length === count && tiles.every((tile) => finished.includes(tile.getAttribute('data-state') ?? ''))
        );
      },
      units,
      { timeout: 180_000, polling: 250 },
    );
    const batchSeconds = (Date.now() - started) / 1000;
    counting = false;
    const after = await metrics();
    if (profile) await mkdir(path.dirname(profile), { recursive: true });
    if (profile) await writeFile(profile, JSON.stringify((await cdp.send('Profiler.stop')).profile));
    const trace = await browser.stopTracing();
    if (profile) await writeFile(profile.replace(/\.cpuprofile$/, '.trace.json'), trace);
    const tasks = rendererTasks(trace);
    const longTasks = await page.evaluate(
      () => (window as unknown as { __longTasks: { ms: number; count: number; total: number } }).__longTasks,
    );
    const passed = await page.locator('[data-testid="lane-tile"][data-state="passed"]').count();
    return {
      units,
      passed,
      batchSeconds: Math.round(batchSeconds * 10) / 10,
      longTasks: longTasks.count,
      longestMs: Math.round(longTasks.ms),
      longTaskTotalMs: Math.round(longTasks.total),
      taskMs: Math.round(after.task - before.task),
      scriptMs: Math.round(after.script - before.script),
      ...tasks,
      messages: received.messages,
      messageKb: Math.round(received.bytes / 1024),
      messagesByEvent: received.byEvent,
      loadAvg: load(),
    };
  } finally {
    await context.close();
    await host.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      units: { type: 'string', default: '32' },
      runs: { type: 'string', default: '3' },
      /** Writes a CPU profile of the page during each batch to DIR/window-N.cpuprofile. */
      profile: { type: 'string' },
    },
  });
  const units = Number(values.units);
  const runs = Number(values.runs);
  const build = spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs'), '--if-stale'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (build.status !== 0) throw new Error('the build failed');
  process.stdout.write(
    `Keyline window benchmark: ${units} sandbox units on ptys, ${runs} batches; ${cpus().length} CPUs, load average ${load()}\n`,
  );
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  const results: WindowFigures[] = [];
  try {
    for (let run = 1; run <= runs; run += 1) {
      const profile = values.profile ? path.resolve(values.profile, `window-${run}.cpuprofile`) : undefined;
      const figures = await oneBatch(browser, units, profile);
      results.push(figures);
      process.stdout.write(
        `  batch ${run}: ${figures.passed}/${units} passed in ${figures.batchSeconds} s; window long tasks ${figures.longTasks}, ` +
          `longest ${figures.longestMs} ms, total ${figures.longTaskTotalMs} ms; page main thread ${figures.taskMs} ms ` +
          `(script ${figures.scriptMs} ms); trace: longest task ${figures.traceLongestMs} ms wall, ` +
          `${figures.traceLongestCpuMs} ms CPU, main thread CPU ${figures.mainThreadCpuMs} ms; ` +
          `${figures.messages} messages (${figures.messageKb} KB); load average ${figures.loadAvg}\n`,
      );
    }
  } finally {
    await browser.close();
  }
  process.stdout.write(`${JSON.stringify(results)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench:window: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
