import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test as base, type Page } from '@playwright/test';
import { startPlatformSimulator, type RunningPlatformSimulator } from '../../simulators/platform';
import { startProcess, type StartedProcess } from '../helpers/process';

const repoRoot = path.resolve(__dirname, '../..');

interface Station {
  url: string;
  sim: RunningPlatformSimulator;
  host: StartedProcess;
}

/** The platform simulator and a web host with an empty data folder, for this file. */
const test = base.extend<object, { station: Station }>({
  station: [
    // eslint-disable-next-line no-empty-pattern -- Playwright requires the fixtures argument to be destructured.
    async ({}, use) => {
      const dataDir = await mkdtemp(path.join(tmpdir(), 'keyline-e2e-auth-'));
      const sim = await startPlatformSimulator({ port: 0, host: '127.0.0.1' });
      const host = await startProcess(process.execPath, [path.join(repoRoot, 'dist/main/web-main.cjs')], {
        ready: /Open: (http:\/\/127\.0\.0\.1:\d+\/#token=[0-9a-f]+)/,
        cwd: repoRoot,
        // No embedded sandbox: this station signs in to the simulator started above.
        env: { KEYLINE_DATA_DIR: dataDir, KEYLINE_SANDBOX: '0' },
      });
      await use({ url: host.ready[1]!, sim, host });
      await host.stop();
      await sim.close();
      await rm(dataDir, { recursive: true, force: true });
    },
    { scope: 'worker' },
  ],
});

/** Every WebSocket frame the window receives, to prove no token ever reaches it. */
function recordFrames(page: Page): string[] {
  const frames: string[] = [];
  page.on('websocket', (socket) => socket.on('framereceived', (frame) => frames.push(String(frame.payload))));
  return frames;
}

/** Adds the simulator as a platform profile through the form, unless an earlier test did. */
async function addSimulatorProfile(page: Page, station: Station): Promise<void> {
  await expect(page.getByTestId('profiles')).toContainText('Losant');
  if ((await page.getByTestId('profiles').textContent())?.includes('Line 3 simulator')) return;
  await page.getByRole('button', { name: 'Add a profile' }).click();
  const form = page.getByRole('form', { name: 'Profile' });
  await form.getByLabel('Name').fill('Line 3 simulator');
  await form.getByLabel('API URL').fill(station.sim.url);
  await form.getByLabel('OAuth client id').fill(station.sim.seed.oauthClientId);
  await form.getByRole('button', { name: 'Save profile' }).click();
  await expect(page.getByTestId('profiles')).toContainText('Line 3 simulator');
}

test('a technician adds the simulator as a profile, signs in through a browser tab, picks the application and signs out', async ({
  page,
  context,
  station,
}) => {
  const frames = recordFrames(page);
  await page.goto(station.url);
  // The window has rendered (and listens for its shortcuts) once the first screen shows.
  await expect(page.getByRole('heading', { level: 1, name: 'Station' })).toBeVisible();
  await page.keyboard.press('Alt+4');
  await expect(page.getByRole('heading', { level: 2, name: 'Sign-in' })).toBeVisible();
  await expect(page.getByTestId('role-cap-advice')).toContainText('Maximum role');
  await expect(page.getByTestId('role-cap-advice')).toContainText('Collaborator');

  await addSimulatorProfile(page, station);
  await page
    .getByRole('combobox', { name: 'Platform profile' })
    .selectOption({ label: `Line 3 simulator (${station.sim.url})` });
  const popup = context.waitForEvent('page', { timeout: 10_000 });
  await page.getByRole('button', { name: 'Sign in with the browser' }).click();
  await expect(page.getByTestId('signing-in')).toContainText('Finish signing in in your browser');
  const tab = await popup;
  await tab.getByLabel('Email').fill(station.sim.seed.technician.email);
  await tab.getByLabel('Password').fill(station.sim.seed.technician.password);
  await tab.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(tab.getByLabel('Maximum role')).toHaveValue('collaborate');
  await tab.getByRole('button', { name: 'Allow' }).click();
  await expect(tab.getByRole('heading', { name: 'Signed in to Keyline' })).toBeVisible();
  await tab.close();

  await expect(page.getByTestId('signed-in-as')).toContainText(station.sim.seed.technician.email);
  await expect(page.getByTestId('role-cap')).toHaveText('Collaborator');
  await expect(page.getByTestId('scopes')).toContainText('Read and change the applications you can reach');
  await expect(page.getByTestId('organizations')).toContainText(station.sim.seed.orgName);

  await page.getByRole('radio', { name: new RegExp(station.sim.seed.applicationName) }).check();
  await expect(page.getByTestId('selected-application')).toHaveText(
    `New devices go into ${station.sim.seed.applicationName}.`,
  );

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('button', { name: 'Sign in with the browser' })).toBeVisible();

  // The window never received a token: no JWT in any frame or in the page.
  expect(frames.length).toBeGreaterThan(3);
  expect(frames.join('\n')).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\./);
  expect(await page.content()).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\./);
});

test('a refused consent shows a plain message and the way to try again', async ({ page, context, station }) => {
  await page.goto(station.url);
  // The window has rendered (and listens for its shortcuts) once the first screen shows.
  await expect(page.getByRole('heading', { level: 1, name: 'Station' })).toBeVisible();
  await page.keyboard.press('Alt+4');
  await addSimulatorProfile(page, station);
  await page
    .getByRole('combobox', { name: 'Platform profile' })
    .selectOption({ label: `Line 3 simulator (${station.sim.url})` });
  const popup = context.waitForEvent('page', { timeout: 10_000 });
  await page.getByRole('button', { name: 'Sign in with the browser' }).click();
  const tab = await popup;
  await tab.getByLabel('Email').fill(station.sim.seed.technician.email);
  await tab.getByLabel('Password').fill(station.sim.seed.technician.password);
  await tab.getByRole('button', { name: 'Sign in', exact: true }).click();
  await tab.getByRole('button', { name: 'Deny' }).click();
  await expect(tab.getByRole('heading', { name: 'Keyline sign-in did not complete' })).toBeVisible();
  await expect(page.getByTestId('sign-in-problem')).toContainText('denied');
  await expect(page.getByRole('button', { name: 'Sign in with the browser' })).toBeEnabled();
});
