import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Browser } from '@playwright/test';
import { describe, expect, it } from 'vitest';
import { KeytarSecretStore } from '../../../main/auth';
import type { RunningPlatformSimulator } from '../../../simulators/platform';
import {
  browserOpener,
  createHarness,
  inKeyringSession,
  keychainAccountFor,
  logInAndConsent,
  runKeyline,
  useSimulatorAndBrowser,
  type Harness,
} from './harness';

const run = promisify(execFile);
const repoRoot = path.resolve(__dirname, '../../..');

let sim: RunningPlatformSimulator;
let browser: Browser;
const evidence = useSimulatorAndBrowser((started) => ({ sim, browser } = started));

/** Token endpoint answers the simulator gave for refresh grants, by outcome. */
function refreshes(): { issued: number; refused: number } {
  const events = sim.events().filter((event) => event.type === 'oauth.token');
  const of = (result: string) =>
    events.filter((event) => {
      const data = event as unknown as Record<string, unknown>;
      const detail = (data['data'] ?? data) as Record<string, unknown>;
      return detail['grantType'] === 'refresh_token' && detail['result'] === result;
    }).length;
  return { issued: of('issued'), refused: of('refused') };
}

async function signedIn(options: Parameters<typeof createHarness>[2] = {}): Promise<Harness & { account: string }> {
  const browserSide = browserOpener(browser, evidence, (page) => logInAndConsent(page, sim.seed.technician));
  const harness = await createHarness(sim, evidence, { openExternal: browserSide.openExternal, ...options });
  const state = await harness.service.signIn('sandbox', 'browser');
  await browserSide.done();
  return { ...harness, account: keychainAccountFor('sandbox', state) };
}

async function revoke(refreshToken: string): Promise<void> {
  const response = await fetch(`${sim.url}/oauth/revoke`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      token: refreshToken,
      token_type_hint: 'refresh_token',
      client_id: sim.seed.oauthClientId,
    }),
  });
  expect(response.status).toBe(200);
}

describe('session renewal against the platform simulator', () => {
  it('renews shortly before expiry, rotating the refresh token in the keychain', async () => {
    sim.updateSettings({ accessTokenTtlSeconds: 4 });
    const harness = await signedIn();
    sim.updateSettings({ accessTokenTtlSeconds: 1800 });
    try {
      const first = await harness.service.getAccessToken();
      const firstRefresh = await harness.store.get(harness.account);
      const before = refreshes().issued;
      await new Promise((resolve) => setTimeout(resolve, 3200));
      const second = await harness.service.getAccessToken();
      expect(second).not.toBe(first);
      expect(refreshes().issued).toBe(before + 1);
      const rotated = await harness.store.get(harness.account);
      expect(rotated).not.toBe(firstRefresh);
      const me = await fetch(`${sim.url}/me`, { headers: { Authorization: `Bearer ${second}` } });
      expect(me.status).toBe(200);
    } finally {
      await harness.close();
    }
  });

  it('renews after a 401 from the platform and retries once', async () => {
    const harness = await signedIn();
    try {
      const before = refreshes().issued;
      const fault = await fetch(`${sim.url}/__sim/faults`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ method: 'GET', path: '/me', status: 401, body: { type: 'Unauthorized', message: 'x' } }),
      });
      expect(fault.status).toBeLessThan(300);
      const summary = await harness.service.accountSummary();
      expect(summary.account.email).toBe(sim.seed.technician.email);
      expect(refreshes().issued).toBe(before + 1);
    } finally {
      await harness.close();
    }
  });

  it('makes twenty lanes that saw the same 401 wait for one renewal', async () => {
    const harness = await signedIn();
    try {
      const stale = await harness.service.getAccessToken();
      const before = refreshes().issued;
      const tokens = await Promise.all(Array.from({ length: 20 }, () => harness.service.refreshAfter401(stale)));
      expect(new Set(tokens).size).toBe(1);
      expect(tokens[0]).not.toBe(stale);
      expect(refreshes()).toMatchObject({ issued: before + 1 });
    } finally {
      await harness.close();
    }
  });

  it('ends the session when a rotated refresh token is replayed, and does not loop', async () => {
    const harness = await signedIn();
    try {
      const spent = (await harness.store.get(harness.account))!;
      await harness.service.refreshAfter401(await harness.service.getAccessToken());
      // Someone replays the spent token: the platform refuses it and revokes the whole grant.
      const replay = await fetch(`${sim.url}/oauth/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: spent,
          client_id: sim.seed.oauthClientId,
        }),
      });
      expect(replay.status).toBe(400);
      await expect(harness.service.refreshAfter401(await harness.service.getAccessToken())).rejects.toMatchObject({
        code: 'AUTH_SESSION_ENDED',
      });
      expect(harness.service.state()).toMatchObject({
        status: 'signedOut',
        problem: { code: 'AUTH_SESSION_ENDED', message: expect.stringContaining('sign in again') },
      });
      expect(await harness.store.get(harness.account)).toBeUndefined();
      const calls = sim.events().length;
      await expect(harness.service.getAccessToken()).rejects.toMatchObject({ code: 'AUTH_SESSION_ENDED' });
      await expect(harness.service.accountSummary()).rejects.toMatchObject({ code: 'AUTH_SESSION_ENDED' });
      expect(sim.events()).toHaveLength(calls);
    } finally {
      await harness.close();
    }
  });

  it('ends the session when the sign-in is revoked elsewhere: a 401, then signed out', async () => {
    const harness = await signedIn();
    try {
      await revoke((await harness.store.get(harness.account))!);
      await expect(harness.service.accountSummary()).rejects.toMatchObject({ code: 'AUTH_SESSION_ENDED' });
      expect(harness.service.state()).toMatchObject({ status: 'signedOut', problem: { code: 'AUTH_SESSION_ENDED' } });
      expect(await harness.store.get(harness.account)).toBeUndefined();
    } finally {
      await harness.close();
    }
  });

  it.skipIf(!inKeyringSession)(
    'lets the app and three CLI processes renew together without spending one refresh token twice',
    async () => {
      // The real service name: the CLI processes open the same keychain entry.
      const harness = await signedIn({ store: new KeytarSecretStore() });
      try {
        const before = refreshes();
        // A slow token endpoint makes the renewals overlap: without the lock, two would spend one token.
        await fetch(`${sim.url}/__sim/faults`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ method: 'POST', path: '/oauth/token', latencyMs: 2000, times: 4 }),
        });
        const cli = () =>
          run(
            process.execPath,
            ['--import', 'tsx', 'main/cli/cli-entry.ts', 'auth', 'check', '--data-dir', harness.dataDir],
            { cwd: repoRoot, env: process.env, timeout: 60_000 },
          );
        const [results] = await Promise.all([
          Promise.all([cli(), cli(), cli()]),
          harness.service.refreshAfter401(await harness.service.getAccessToken()),
        ]);
        for (const result of results) {
          expect(result.stdout).toContain(`accepts the sign-in of ${sim.seed.technician.email}`);
          evidence.logLines.push(result.stdout, result.stderr);
        }
        const after = refreshes();
        expect(after.refused).toBe(before.refused);
        expect(after.issued).toBe(before.issued + 4);
        // The app still works on the token the last process left in the keychain.
        await expect(harness.service.accountSummary()).resolves.toMatchObject({
          account: { email: sim.seed.technician.email },
        });
        evidence.record(await harness.store.get(harness.account));
      } finally {
        await harness.service.signOut();
        await harness.close();
      }
    },
    90_000,
  );

  // The CLI on the app's session: here, the one file that uses the keychain's real entry.
  it.skipIf(!inKeyringSession)(
    "lets keyline diagnose work on the app's session, and provision/decommission refuse another platform's --api",
    async () => {
      const browserSide = browserOpener(browser, evidence, (page) => logInAndConsent(page, sim.seed.technician));
      // The real service name: the CLI processes open the same keychain entry.
      const harness = await createHarness(sim, evidence, {
        openExternal: browserSide.openExternal,
        store: new KeytarSecretStore(),
      });
      try {
        await harness.service.signIn('sandbox', 'browser');
        await browserSide.done();
        const device = sim.seed.devices.find((candidate) => candidate.deviceClass === 'standalone')!;
        const dataDir = ['--data-dir', harness.dataDir];

        const diagnosed = await runKeyline(evidence, ['diagnose', '--device', device.id, '--json', ...dataDir]);
        expect(diagnosed.code, diagnosed.stderr).toBeLessThan(2);
        // The device's record came from the platform, read on the session's token.
        expect(JSON.parse(diagnosed.stdout)).toMatchObject({
          subject: { deviceId: device.id, deviceName: device.name },
        });

        for (const command of ['provision', 'decommission']) {
          const elsewhere = await runKeyline(evidence, [
            command,
            '--api',
            'https://api.example.com',
            '--port',
            '/dev/null',
            ...dataDir,
          ]);
          expect(elsewhere.code).toBe(2);
          expect(elsewhere.stderr).toContain(`The signed-in profile is for ${sim.url}`);
        }
      } finally {
        await harness.service.signOut();
        await harness.close();
      }
    },
    120_000,
  );
});
