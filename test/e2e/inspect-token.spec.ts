/**
 * The Inspect screen's token decoder in Chromium against the built web host: paste, decode, read
 * the answer; then a scan of everything the host process printed and every file under its data
 * and home directories for the pasted tokens.
 */
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';
import { startProcess, type StartedProcess } from '../helpers/process';
import {
  APP_ID,
  DEVICE_ID,
  handMadeJwt,
  mintApplicationApiToken,
  mintDeviceToken,
  mintOauthAccessToken,
} from '../integration/inspect/mint-tokens';
import { repoRoot } from './web-host';

interface InspectHost {
  url: string;
  process: StartedProcess;
  /** Holds the host's data directory and home: every file the host could write lands here. */
  root: string;
}

/** One web host per test file, with its own data directory, home and the most verbose log level. */
const test = base.extend<object, { inspectHost: InspectHost }>({
  inspectHost: [
    // eslint-disable-next-line no-empty-pattern -- Playwright requires the fixtures argument to be destructured.
    async ({}, use) => {
      const root = await mkdtemp(path.join(tmpdir(), 'keyline-inspect-e2e-'));
      const home = path.join(root, 'home');
      await mkdir(path.join(root, 'data'), { recursive: true });
      await mkdir(home, { recursive: true });
      const started = await startProcess(process.execPath, [path.join(repoRoot, 'dist/main/web-main.cjs')], {
        ready: /Open: (http:\/\/127\.0\.0\.1:\d+\/#token=[0-9a-f]+)/,
        cwd: repoRoot,
        env: {
          KEYLINE_DATA_DIR: path.join(root, 'data'),
          KEYLINE_SANDBOX: '0',
          KEYLINE_LOG_LEVEL: 'trace',
          HOME: home,
          XDG_CONFIG_HOME: path.join(home, '.config'),
          XDG_DATA_HOME: path.join(home, '.local/share'),
          XDG_STATE_HOME: path.join(home, '.local/state'),
          XDG_CACHE_HOME: path.join(home, '.cache'),
        },
      });
      await use({ url: started.ready[1]!, process: started, root });
      await started.stop();
      await rm(root, { recursive: true, force: true });
    },
    { scope: 'worker' },
  ],
});

test.describe.configure({ mode: 'serial' });

/** Every token pasted in this file, to be looked for afterwards. */
const pasted: string[] = [];

async function openDecoder(page: Page, url: string) {
  await page.goto(url);
  await expect(page.getByTestId('status-host')).toContainText('web host');
  await page.keyboard.press('Alt+2');
  await expect(page.getByRole('heading', { level: 1, name: 'Inspect' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Token decoder' })).toBeVisible();
}

async function paste(page: Page, token: string) {
  pasted.push(token);
  await page.getByLabel('Token', { exact: true }).fill(token);
}

test('decodes a pasted device token: kind, owner, warnings, and the field is cleared', async ({
  page,
  inspectHost,
}) => {
  await openDecoder(page, inspectHost.url);
  const token = await mintDeviceToken(Date.now());
  await paste(page, token);
  // Masked like a password while it sits in the field.
  await expect(page.getByLabel('Token', { exact: true })).toHaveClass(/token-text-masked/);
  await page.getByRole('button', { name: 'Decode' }).click();

  await expect(page.getByTestId('token-kind')).toHaveText('Device token');
  await expect(page.getByLabel('Token', { exact: true })).toHaveValue('');
  await expect(page.getByTestId('token-status')).toHaveText('Decoded: Device token, 1 warning.');
  await expect(page.getByTestId('token-subject')).toHaveText(`Device ${DEVICE_ID} in application ${APP_ID}`);
  await expect(page.getByTestId('token-expiry')).toHaveText('Never');
  const warnings = page.getByTestId('token-warnings');
  await expect(warnings).toContainText('Warning: Never expires.');
  await expect(warnings).toContainText('at every boot');
  await expect(warnings).toContainText('Note: Signature not verified');
  await expect(page.getByTestId('token-can')).toContainText('Report device state, for its own device only');
  await expect(page.getByTestId('token-cannot')).toContainText('Create access keys (device credentials)');
  await expect(page.getByLabel('Claims as JSON')).toContainText(`"sub": "${DEVICE_ID}"`);
  await expect(page.getByLabel('Header as JSON')).toContainText('"alg": "ES256"');
  // Nothing on the page holds the token any more.
  expect(await page.content()).not.toContain(token.split('.')[2]);
});

test('flags an expired, broader-than-needed API token; Ctrl+Enter decodes', async ({ page, inspectHost }) => {
  await openDecoder(page, inspectHost.url);
  const token = await mintApplicationApiToken(
    Date.now() - 400 * 86_400_000,
    ['all.Application'],
    Date.now() / 1000 - 3600,
  );
  await paste(page, `Bearer ${token}`);
  await page.getByLabel('Token', { exact: true }).press('Control+Enter');
  await expect(page.getByTestId('token-kind')).toHaveText('Application API token');
  const warnings = page.getByTestId('token-warnings');
  await expect(warnings.locator('li').first()).toContainText('Problem: Expired 1 h ago');
  await expect(warnings).toContainText('all.Application.bounded would do');
  await expect(page.getByLabel('Token', { exact: true })).toHaveValue('');
});

test('renders hostile claims as text, never as markup', async ({ page, inspectHost }) => {
  await openDecoder(page, inspectHost.url);
  const token = handMadeJwt(
    { alg: 'ES256', kid: '<b>bold</b>' },
    { sub: '<img src=x onerror="window.__xss=1">', subtype: 'apiToken', scope: ['<script>alert(1)</script>'] },
    'c2lnbmF0dXJlLW5vdC1yZWFs',
  );
  await paste(page, token);
  await page.getByRole('button', { name: 'Decode' }).click();
  await expect(page.getByTestId('token-subject')).toContainText('<img src=x onerror="window.__xss=1">');
  await expect(page.getByTestId('token-result').locator('img, script, b')).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
});

test('says plainly when the paste is not a token, and OAuth tokens decode too', async ({ page, inspectHost }) => {
  await openDecoder(page, inspectHost.url);
  await page
    .getByLabel('Token', { exact: true })
    .fill('<!doctype html><html><body><h1>502 Bad Gateway</h1></body></html>');
  await page.getByRole('button', { name: 'Decode' }).click();
  await expect(page.getByRole('alert')).toContainText('web page or markup');
  await expect(page.getByTestId('token-result')).toHaveCount(0);

  await page.getByRole('button', { name: 'Decode' }).click();
  await expect(page.getByRole('alert')).toContainText('paste a token first');

  await page.getByLabel('Token', { exact: true }).fill(`eyJ${'A'.repeat(20 * 1024)}`);
  await page.getByRole('button', { name: 'Decode' }).click();
  await expect(page.getByRole('alert')).toContainText('longer than any platform token');
  await expect(page.getByLabel('Token', { exact: true })).toHaveValue('');

  const oauth = await mintOauthAccessToken(Date.now(), 3600);
  await paste(page, oauth);
  await page.getByRole('button', { name: 'Clear' }).click();
  await expect(page.getByLabel('Token', { exact: true })).toHaveValue('');
  await paste(page, oauth);
  await page.getByLabel('Show token').check();
  await expect(page.getByLabel('Token', { exact: true })).not.toHaveClass(/token-text-masked/);
  await page.getByRole('button', { name: 'Decode' }).click();
  await expect(page.getByTestId('token-kind')).toHaveText('OAuth access token');
  await expect(page.getByRole('alert')).toHaveCount(0);

  // The page keeps no token in its storage.
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
  for (const token of pasted) expect(stored).not.toContain(token.split('.')[2]);
});

test('no pasted token reached the host log or any file under its data and home directories', async ({
  inspectHost,
}) => {
  expect(pasted.length).toBeGreaterThanOrEqual(4);
  await inspectHost.process.stop();
  const output = inspectHost.process.output();
  // The host logs every inspection (kind and warnings only), so the scan has something to read.
  expect(output.match(/inspected a token/g)?.length).toBeGreaterThanOrEqual(4);

  const files: string[] = [];
  async function walk(dir: string) {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile()) files.push(full);
    }
  }
  await walk(inspectHost.root);
  const contents = await Promise.all(files.map((file) => readFile(file, 'latin1')));

  for (const token of pasted) {
    const signature = token.split('.').at(-1)!;
    for (const text of [output, ...contents]) {
      expect(text).not.toContain(token);
      expect(text).not.toContain(signature);
      expect(text).not.toContain(Buffer.from(token).toString('base64'));
    }
  }
});
