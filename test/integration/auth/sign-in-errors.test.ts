import type { Browser } from '@playwright/test';
import { describe, expect, it } from 'vitest';
import type { RunningPlatformSimulator } from '../../../simulators/platform';
import {
  browserOpener,
  createHarness,
  logInAndConsent,
  startSimulator,
  useSimulatorAndBrowser,
  type Harness,
} from './harness';

let sim: RunningPlatformSimulator;
let browser: Browser;
const evidence = useSimulatorAndBrowser((started) => ({ sim, browser } = started));

async function fault(spec: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${sim.url}/__sim/faults`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(spec),
  });
  expect(response.status).toBeLessThan(300);
}

/** A failed sign-in leaves nothing behind: no keychain write, no account in the profile, a typed problem. */
async function expectNothingStored(harness: Harness, code: string): Promise<void> {
  expect(harness.store.writes).toEqual([]);
  expect((await harness.service.profiles.get('sandbox')).account).toBeNull();
  expect(harness.service.state()).toMatchObject({ status: 'signedOut', problem: { code } });
  await expect(harness.service.getAccessToken()).rejects.toMatchObject({ code: 'AUTH_SIGNED_OUT' });
}

async function attempt(
  act: Parameters<typeof browserOpener>[2],
  rewrite?: Parameters<typeof browserOpener>[3],
  options: Parameters<typeof createHarness>[2] = {},
) {
  const browserSide = browserOpener(browser, evidence, act, rewrite);
  const harness = await createHarness(sim, evidence, { openExternal: browserSide.openExternal, ...options });
  const outcome = await harness.service.signIn('sandbox', 'browser').then(
    () => undefined,
    (error: unknown) => error as Error & { code: string },
  );
  await browserSide.done();
  return { harness, outcome, browserSide };
}

describe('sign-in failures, each typed and leaving no secret behind', () => {
  it('refuses an answer whose state is not the one Keyline sent', async () => {
    const { harness, outcome } = await attempt(
      (page) => logInAndConsent(page, sim.seed.technician),
      (url) => {
        url.searchParams.set('state', 'forged-state-value');
        return url;
      },
    );
    try {
      expect(outcome).toMatchObject({ code: 'AUTH_STATE_MISMATCH' });
      await expectNothingStored(harness, 'AUTH_STATE_MISMATCH');
      // The code was never exchanged.
      const exchanges = sim.events().filter((event) => JSON.stringify(event).includes('authorization_code'));
      expect(exchanges).toEqual([]);
    } finally {
      await harness.close();
    }
  });

  it('refuses a server whose metadata names another issuer', async () => {
    const impostor = await startSimulator({ issuer: 'https://platform.example.com' });
    const harness = await createHarness(impostor, evidence, {
      openExternal: () => Promise.reject(new Error('must not open a browser')),
      // Reached at its real address, it describes itself as https://platform.example.com.
      sandbox: { apiUrl: `http://127.0.0.1:${impostor.port}`, clientId: impostor.seed.oauthClientId },
    });
    try {
      await expect(harness.service.signIn('sandbox', 'browser')).rejects.toMatchObject({
        code: 'AUTH_ISSUER_MISMATCH',
      });
      await expectNothingStored(harness, 'AUTH_ISSUER_MISMATCH');
    } finally {
      await harness.close();
      await impostor.close();
    }
  });

  it('reports a refusal on the consent page', async () => {
    const { harness, outcome, browserSide } = await attempt((page) =>
      logInAndConsent(page, sim.seed.technician, { decision: 'Deny' }),
    );
    try {
      expect(outcome).toMatchObject({ code: 'AUTH_DENIED' });
      await expectNothingStored(harness, 'AUTH_DENIED');
      expect(browserSide.opened).toHaveLength(1);
    } finally {
      await harness.close();
    }
  });

  it('reports error answers from the token endpoint and the metadata', async () => {
    await fault({ method: 'POST', path: '/oauth/token', status: 503, times: 1 });
    const { harness, outcome } = await attempt((page) => logInAndConsent(page, sim.seed.technician));
    try {
      expect(outcome).toMatchObject({ code: 'AUTH_SERVER_ERROR', message: expect.stringContaining('503') });
      await expectNothingStored(harness, 'AUTH_SERVER_ERROR');
    } finally {
      await harness.close();
    }

    await fault({ method: 'GET', path: '/.well-known/**', status: 500, times: 1 });
    const metadata = await createHarness(sim, evidence);
    try {
      await expect(metadata.service.signIn('sandbox', 'browser')).rejects.toMatchObject({
        code: 'AUTH_DISCOVERY_FAILED',
      });
      await expectNothingStored(metadata, 'AUTH_DISCOVERY_FAILED');
    } finally {
      await metadata.close();
    }
  });

  it('fails at once when the platform sends the sign-in back to another path', async () => {
    const { harness, outcome } = await attempt(
      (page) => logInAndConsent(page, sim.seed.technician),
      (url) => {
        const redirect = new URL(url.searchParams.get('redirect_uri')!);
        redirect.pathname = '/oauth/callback';
        url.searchParams.set('redirect_uri', redirect.href);
        return url;
      },
    );
    try {
      expect(outcome).toMatchObject({ code: 'AUTH_CALLBACK_WRONG_PATH' });
      await expectNothingStored(harness, 'AUTH_CALLBACK_WRONG_PATH');
    } finally {
      await harness.close();
    }
  });

  it('gives up when the browser is closed before the sign-in finishes', async () => {
    const { harness, outcome } = await attempt(
      async (page) => {
        await page.getByLabel('Email').waitFor();
        await page.context().close();
      },
      undefined,
      { browserTimeoutMs: 2000 },
    );
    try {
      expect(outcome).toMatchObject({ code: 'AUTH_TIMEOUT', message: expect.stringContaining('browser') });
      await expectNothingStored(harness, 'AUTH_TIMEOUT');
    } finally {
      await harness.close();
    }
  });
});
