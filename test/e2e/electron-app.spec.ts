import path from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import { findElectronBinary } from '../../scripts/electron-binary.cjs';

const repoRoot = path.resolve(__dirname, '../..');

const binary = findElectronBinary();
const hasDisplay = Boolean(process.env['DISPLAY'] || process.env['WAYLAND_DISPLAY']);

test('the Electron app opens its hardened window and answers app.info()', async () => {
  const reason = !binary
    ? 'no Electron binary on this machine (it cannot be downloaded offline); the web host tests cover the same renderer and contract'
    : !hasDisplay
      ? 'no display for Electron (run under xvfb-run)'
      : undefined;
  if (reason) console.log(`skipped: ${reason}`);
  test.skip(reason !== undefined, reason);

  const app = await electron.launch({ executablePath: binary!, args: [repoRoot] });
  try {
    const page = await app.firstWindow();
    await expect(page.getByTestId('app-info-host')).toHaveText('electron');
    expect(page.url()).toMatch(/^app:\/\/keyline\//);
    const exposed = await page.evaluate(() => ({
      keyline: typeof (window as unknown as { keyline?: unknown }).keyline,
      require: typeof (window as unknown as { require?: unknown }).require,
      process: typeof (window as unknown as { process?: unknown }).process,
    }));
    expect(exposed).toEqual({ keyline: 'object', require: 'undefined', process: 'undefined' });
    // A page cannot open windows or navigate the app away.
    const opened = await page.evaluate(() => globalThis.open('https://example.com') === null);
    expect(opened).toBe(true);
    expect(app.windows()).toHaveLength(1);
  } finally {
    await app.close();
  }
});
