/**
 * Device-supplied strings are shown as text, never as markup: a simulated unit on a real pty whose
 * model and firmware version are HTML with script in them, inspected from the Inspect screen of the
 * built web host ("Compare with the platform" asks the unit `hello` over the station's own serial
 * link). The strings must appear literally, no element may come of them, and nothing may run.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test as base, expect } from '@playwright/test';
import { startDeviceSimulator, type DeviceSimulator } from '../../simulators/device';
import { startPlatformSimulator, type RunningPlatformSimulator } from '../../simulators/platform';
import { startProcess, type StartedProcess } from '../helpers/process';
import { repoRoot } from './web-host';

const MODEL = '<img src=x onerror="window.__xss=1">';
const FIRMWARE = '<script>window.__xss=2</script>';

interface Bench {
  sim: RunningPlatformSimulator;
  device: DeviceSimulator;
  host: StartedProcess;
  url: string;
  root: string;
}

const test = base.extend<object, { bench: Bench }>({
  bench: [
    // eslint-disable-next-line no-empty-pattern -- Playwright requires the fixtures argument to be destructured.
    async ({}, use) => {
      const root = await mkdtemp(path.join(tmpdir(), 'keyline-e2e-hostile-'));
      const home = path.join(root, 'home');
      await mkdir(path.join(root, 'data'), { recursive: true });
      await mkdir(home, { recursive: true });
      const sim = await startPlatformSimulator({ port: 0, host: '127.0.0.1' });
      const device = await startDeviceSimulator({
        bootMs: 60,
        chatterMs: 0,
        hwid: 'E2E-HOSTILE-1',
        model: MODEL,
        fw: FIRMWARE,
      });
      await device.whenReady();
      const host = await startProcess(process.execPath, [path.join(repoRoot, 'dist/main/web-main.cjs')], {
        ready: /Open: (http:\/\/127\.0\.0\.1:\d+\/#token=[0-9a-f]+)/,
        cwd: repoRoot,
        env: {
          KEYLINE_DATA_DIR: path.join(root, 'data'),
          KEYLINE_SANDBOX: '0',
          KEYLINE_INSPECT_API_URL: sim.url,
          KEYLINE_INSPECT_TOKEN: sim.seed.apiToken,
          HOME: home,
          XDG_CONFIG_HOME: path.join(home, '.config'),
          XDG_DATA_HOME: path.join(home, '.local/share'),
        },
      });
      await use({ sim, device, host, url: host.ready[1]!, root });
      await host.stop();
      await device.close();
      await sim.close();
      await rm(root, { recursive: true, force: true });
    },
    { scope: 'worker' },
  ],
});

test('a unit whose model and firmware are markup is shown as text in the Inspect screen', async ({ page, bench }) => {
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto(bench.url);
  await expect(page.getByTestId('status-host')).toContainText('web host');
  await page.keyboard.press('Alt+2');
  await expect(page.getByRole('heading', { level: 1, name: 'Inspect' })).toBeVisible();
  await page.getByLabel('Serial port').fill(bench.device.link);
  await page.getByRole('button', { name: 'Compare with the platform' }).click();

  const side = page.getByTestId('side-by-side');
  await expect(side).toContainText(MODEL);
  await expect(side).toContainText(FIRMWARE);
  // No element was made of the strings, and nothing they carry ran.
  await expect(page.locator('main img, main script')).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  expect(dialogs).toEqual([]);
});
