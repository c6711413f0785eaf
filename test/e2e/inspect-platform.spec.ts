/**
 * The Inspect screen's lookups, actions, device view and diagnosis in Chromium, against the built
 * web host, the platform simulator and a simulated unit on a real pty. The hosts get their
 * platform from KEYLINE_INSPECT_API_URL / KEYLINE_INSPECT_TOKEN (docs/inspector.md): one with an
 * all-permissions application token, one with a read-only token (a support desk), one with a
 * technician's user token whose role the platform refuses for one application. Afterwards every
 * byte the hosts printed, every file they could write and every WebSocket frame the window got is
 * scanned for the tokens and secrets.
 */
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';
import { PlatformClient, staticTokenSource } from '../../main/platform';
import { SecretRedactor } from '../../main/security/secret-redactor';
import { SerialLink } from '../../main/serial';
import { startDeviceSimulator, type DeviceSimulator } from '../../simulators/device';
import { startPlatformSimulator, type RunningPlatformSimulator } from '../../simulators/platform';
import { startProcess, type StartedProcess } from '../helpers/process';
import { repoRoot } from './web-host';

interface Host {
  url: string;
  process: StartedProcess;
  dataDir: string;
}

interface Bench {
  sim: RunningPlatformSimulator;
  root: string;
  full: Host;
  readOnly: Host;
  technician: Host;
  device: DeviceSimulator;
  tokens: string[];
  secrets: string[];
  admin: PlatformClient;
}

async function startHost(root: string, name: string, apiUrl: string, token: string): Promise<Host> {
  const dir = path.join(root, name);
  const home = path.join(dir, 'home');
  await mkdir(path.join(dir, 'data'), { recursive: true });
  await mkdir(home, { recursive: true });
  const started = await startProcess(process.execPath, [path.join(repoRoot, 'dist/main/web-main.cjs')], {
    ready: /Open: (http:\/\/127\.0\.0\.1:\d+\/#token=[0-9a-f]+)/,
    cwd: repoRoot,
    env: {
      KEYLINE_DATA_DIR: path.join(dir, 'data'),
      // No embedded sandbox (docs/station.md): this test brings its own simulators.
      KEYLINE_SANDBOX: '0',
      KEYLINE_LOG_LEVEL: 'trace',
      KEYLINE_INSPECT_API_URL: apiUrl,
      KEYLINE_INSPECT_TOKEN: token,
      HOME: home,
      XDG_CONFIG_HOME: path.join(home, '.config'),
      XDG_DATA_HOME: path.join(home, '.local/share'),
    },
  });
  return { url: started.ready[1]!, process: started, dataDir: path.join(dir, 'data') };
}

const test = base.extend<object, { bench: Bench }>({
  bench: [
    // eslint-disable-next-line no-empty-pattern -- Playwright requires the fixtures argument to be destructured.
    async ({}, use) => {
      const root = await mkdtemp(path.join(tmpdir(), 'keyline-e2e-inspect-platform-'));
      const sim = await startPlatformSimulator({ port: 0, host: '127.0.0.1' });
      const token = (name: string) => sim.seed.apiTokens.find((candidate) => candidate.name.startsWith(name))!.token;
      const readOnlyToken = token('Reporting dashboard');
      const technicianToken = token("Sam's bench CLI");
      const device = await startDeviceSimulator({ bootMs: 60, chatterMs: 0, flashWriteMs: 10, hwid: 'E2E-PROBE-1' });
      await device.whenReady();
      const bench: Bench = {
        sim,
        root,
        full: await startHost(root, 'full', sim.url, sim.seed.apiToken),
        readOnly: await startHost(root, 'read-only', sim.url, readOnlyToken),
        technician: await startHost(root, 'technician', sim.url, technicianToken),
        device,
        tokens: [sim.seed.apiToken, readOnlyToken, technicianToken],
        secrets: [],
        admin: new PlatformClient({ apiUrl: sim.url, tokens: staticTokenSource(sim.seed.apiToken) }),
      };
      await use(bench);
      await Promise.all([bench.full, bench.readOnly, bench.technician].map((host) => host.process.stop()));
      await device.close();
      await sim.close();
      await rm(root, { recursive: true, force: true });
    },
    { scope: 'worker' },
  ],
});

test.describe.configure({ mode: 'serial' });

/** Every WebSocket frame the windows received, for the scan at the end. */
const frames: string[] = [];

async function openInspect(page: Page, host: Host) {
  page.on('websocket', (socket) => socket.on('framereceived', (frame) => frames.push(String(frame.payload))));
  await page.goto(host.url);
  await expect(page.getByTestId('status-host')).toContainText('web host');
  await page.keyboard.press('Alt+2');
  await expect(page.getByRole('heading', { level: 1, name: 'Inspect' })).toBeVisible();
  await expect(page.getByTestId('inspect-access')).toBeVisible();
}

test('lists access keys, and deactivates one after a confirmation that names the device it stops', async ({
  page,
  bench,
}) => {
  const appId = bench.sim.seed.applicationId;
  const device = await bench.admin.devices.create(appId, { name: 'Reefer probe E2E-7', deviceClass: 'standalone' });
  const key = (await bench.admin.keys.create(appId, { name: 'keyline-run-e2e-7', deviceIds: [device.id] })).value;
  bench.secrets.push(key.secret);

  await openInspect(page, bench.full);
  await expect(page.getByTestId('inspect-access')).toContainText('Looking up as API token');
  await expect(page.getByTestId('read-only')).toHaveCount(0);
  const keys = page.getByTestId('keys-table');
  await expect(keys).toContainText('Workshop key (every device)');
  await expect(keys).toContainText('Every device of the application (no restriction)');
  await expect(keys).toContainText('Devices tagged line=3');
  const row = keys.getByRole('row', { name: /keyline-run-e2e-7/ });
  await expect(row).toContainText(`Only device ${device.id}`);

  await row.getByRole('button', { name: 'Deactivate key keyline-run-e2e-7' }).click();
  const dialog = page.getByRole('alertdialog');
  await expect(dialog.getByTestId('confirm-consequence')).toHaveText(
    `Devices using access key "keyline-run-e2e-7" (${key.key}, id ${key.id}) will fail to authenticate at their next connection: 1 device is restricted to it: Reefer probe E2E-7 (${device.id}).`,
  );
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await dialog.getByRole('button', { name: 'Deactivate key' }).click();
  await expect(page.getByTestId('action-notice')).toContainText('Deactivated.');
  await expect(row).toContainText('Inactive');
  expect((await bench.admin.keys.get(appId, key.id)).status).toBe('inactive');

  const journal = path.join(bench.full.dataDir, 'journal');
  const text = (
    await Promise.all((await readdir(journal)).map((file) => readFile(path.join(journal, file), 'utf8')))
  ).join('');
  expect(text).toContain('"action":"deactivate-access-key"');
  expect(text).toContain(key.id);
});

test('API tokens show their scope in plain words, expiry and status; OAuth tokens say they are not allowed', async ({
  page,
  bench,
}) => {
  await openInspect(page, bench.full);
  await page.getByRole('tab', { name: 'API tokens' }).click();
  const table = page.getByTestId('api-tokens-table');
  const expired = table.getByRole('row', { name: /Line 2 dashboard \(expired\)/ });
  await expect(expired).toContainText('Expired 30 days ago');
  await expect(expired.locator('.badge')).toHaveText('Expired');
  await expect(table.getByRole('row', { name: /Sandbox all-permissions token/ })).toContainText('Never');
  await page.getByRole('tab', { name: 'OAuth tokens' }).click();
  // An application token cannot read a user's OAuth tokens: the platform's refusal, in words, not an error.
  await expect(page.getByTestId('not-allowed')).toContainText('Not allowed for you to read OAuth tokens');
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('a read-only session sees everything and is offered no action, with the reason', async ({ page, bench }) => {
  await openInspect(page, bench.readOnly);
  await expect(page.getByTestId('read-only')).toHaveText('Read-only');
  await page.getByText('Why read-only').click();
  await expect(page.getByTestId('inspect-access')).toContainText(
    'do not allow it to deactivate, reactivate or delete access keys',
  );
  const keys = page.getByTestId('keys-table');
  await expect(keys).toContainText('Workshop key (every device)');
  await expect(keys.getByRole('button')).toHaveCount(0);
  await expect(keys.getByRole('columnheader', { name: 'Actions' })).toHaveCount(0);
});

test('an action the platform refuses reads "not allowed for you", with its reason, not an error', async ({
  page,
  bench,
}) => {
  const returns = bench.sim.seed.applications.find((application) => application.name === 'Field Returns')!;
  const dana = bench.sim.seed.apiTokens.find((candidate) => candidate.name === "Dana's automation token")!.token;
  const asDana = new PlatformClient({ apiUrl: bench.sim.url, tokens: staticTokenSource(dana) });
  const key = (await asDana.keys.create(returns.id, { name: 'Returns bench key' })).value;
  bench.secrets.push(key.secret);
  bench.tokens.push(dana);

  await openInspect(page, bench.technician);
  await page.getByLabel('Application to look in').fill(returns.id);
  await page.getByRole('button', { name: 'Use application' }).click();
  const row = page.getByTestId('keys-table').getByRole('row', { name: /Returns bench key/ });
  await row.getByRole('button', { name: 'Delete key Returns bench key' }).click();
  const dialog = page.getByRole('alertdialog');
  await expect(dialog.getByTestId('confirm-consequence')).toContainText('for good');
  await dialog.getByRole('button', { name: 'Delete key' }).click();
  const notice = page.getByTestId('action-notice');
  await expect(notice).toContainText('Not allowed for you. The platform refused it (401)');
  await expect(notice).toContainText('view');
  await expect(notice).toHaveClass(/inspect-action-notAllowed/);
  await expect(page.getByRole('alert')).toHaveCount(0);
  expect((await asDana.keys.get(returns.id, key.id)).status).toBe('active');
});

test('devices: class, connection log and a diagnosis by id from the device details', async ({ page, bench }) => {
  await openInspect(page, bench.full);
  await page.getByRole('tab', { name: 'Devices' }).click();
  await page.getByLabel('Device name').fill('Trailer*');
  await page.getByRole('button', { name: 'Find devices' }).click();
  const table = page.getByTestId('devices-table');
  await expect(table.getByRole('row')).toHaveCount(2);
  await expect(table).toContainText('May not connect on its own');
  await table.getByRole('button', { name: 'Details of Trailer door contact' }).click();
  await expect(page.getByTestId('device-detail')).toContainText('Peripheral: reports through a gateway');
  await page.getByRole('button', { name: "Why can't it connect?" }).click();
  const diagnosis = page.getByTestId('diagnosis');
  await expect(diagnosis.getByTestId('diagnosis-summary')).toHaveText('One cause found: device class cannot connect.');
  await expect(diagnosis.locator('[data-cause="DEVICE_CLASS_CANNOT_CONNECT"]')).toContainText(
    "Fix: Change the device's class to standalone",
  );
});

test('a unit on a serial port: hello next to its platform record, then "why can\'t it connect?"', async ({
  page,
  bench,
}) => {
  const appId = bench.sim.seed.applicationId;
  const platformDevice = await bench.admin.devices.create(appId, {
    name: 'Probe on the bench',
    tags: [{ key: 'hwid', value: bench.device.hwid }],
    attributes: [{ name: 'keylineNonce', dataType: 'string' }],
  });
  const key = (await bench.admin.keys.create(appId, { name: 'keyline-run-e2e-bench', deviceIds: [platformDevice.id] }))
    .value;
  bench.secrets.push(key.secret);
  const redactor = new SecretRedactor();
  const link = await SerialLink.open({ path: bench.device.link, redactor });
  await link.client.stage({
    deviceId: platformDevice.id,
    key: key.key,
    keyId: key.id,
    secret: key.secret,
    apiUrl: bench.sim.url,
  });
  await link.client.commit();
  await link.client.confirm();
  await link.close();

  await openInspect(page, bench.full);
  await page.getByLabel('Serial port').fill(bench.device.link);
  await page.getByRole('button', { name: 'Compare with the platform' }).click();
  const side = page.getByTestId('side-by-side');
  await expect(side.getByRole('row', { name: /Device id/ })).toContainText('Matches');
  await expect(side.getByRole('row', { name: /Access key/ }).first()).toContainText(
    `${key.key} (id ${key.id}), active`,
  );
  await expect(side.getByRole('row', { name: /Hardware id/ })).toContainText('Matches');

  await page.getByRole('button', { name: 'Diagnose device on port' }).click();
  await expect(page.getByTestId('diagnosis-summary')).toHaveText(
    'No cause found: the device authenticates with its credentials and reports state.',
  );

  await bench.admin.keys.patch(appId, key.id, { status: 'inactive' });
  await page.getByRole('button', { name: 'Diagnose device on port' }).click();
  await expect(page.getByTestId('diagnosis-summary')).toHaveText('One cause found: access key inactive.');
  const cause = page.locator('[data-cause="KEY_INACTIVE"]');
  await expect(cause).toContainText('Cause: Access key inactive');
  await expect(cause).toContainText('Fix: If the key was deactivated by mistake, reactivate it');
  await expect(cause).toContainText('Access key is inactive');
});

test('no token or secret reached a host log, a file, or the window', async ({ bench }) => {
  const hosts = [bench.full, bench.readOnly, bench.technician];
  await Promise.all(hosts.map((host) => host.process.stop()));
  const outputs = hosts.map((host) => host.process.output());
  expect(outputs[0]).toMatch(/inspector action/);
  expect(outputs[0]).toMatch(/diagnosed a device/);
  const files: string[] = [];
  async function walk(dir: string) {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile()) files.push(full);
    }
  }
  await walk(bench.root);
  const contents = await Promise.all(files.map((file) => readFile(file, 'latin1')));
  expect(frames.length).toBeGreaterThan(10);
  const everything = [...outputs, ...contents, ...frames];
  for (const token of bench.tokens) {
    const signature = token.split('.').at(-1)!;
    for (const text of everything) {
      expect(text).not.toContain(token);
      expect(text).not.toContain(signature);
    }
  }
  for (const secret of bench.secrets) for (const text of everything) expect(text).not.toContain(secret);
});
