import type { Browser } from '@playwright/test';
import { describe, expect, it } from 'vitest';
import { authHandlers } from '../../../main/auth';
import { browserOpener, createHarness, keychainAccountFor, logInAndConsent, useSimulatorAndBrowser } from './harness';
import type { RunningPlatformSimulator } from '../../../simulators/platform';
import { createDispatcher, type Handlers } from '../../../main/host/dispatcher';

let sim: RunningPlatformSimulator;
let browser: Browser;
const evidence = useSimulatorAndBrowser((started) => ({ sim, browser } = started));

describe('browser sign-in against the platform simulator', () => {
  it('signs the technician in with code + PKCE and shows who, scopes and role cap', async () => {
    const browserSide = browserOpener(browser, evidence, async (page) => {
      await logInAndConsent(page, sim.seed.technician, { maxRole: 'collaborate' });
      await page.getByRole('heading', { name: 'Signed in to Keyline' }).waitFor();
    });
    const harness = await createHarness(sim, evidence, { openExternal: browserSide.openExternal });
    try {
      const state = await harness.service.signIn('sandbox', 'browser');
      await browserSide.done();
      expect(state).toMatchObject({
        status: 'signedIn',
        profileId: 'sandbox',
        account: { email: sim.seed.technician.email },
        roleCap: 'collaborate',
        scopes: expect.arrayContaining(['all.Application.bounded', 'only.User.read']),
      });
      // The page the browser shows at the end names no token and no code.
      const finalPage = await browserSide.pages[0]!.content().catch(() => '');
      for (const token of evidence.tokens) expect(finalPage).not.toContain(token);

      // The authorization URL was the discovered endpoint, with PKCE S256 and the loopback redirect.
      const authorization = new URL(browserSide.opened[0]!);
      expect(authorization.origin + authorization.pathname).toBe(`${sim.url}/oauth/authorize`);
      expect(authorization.searchParams.get('code_challenge_method')).toBe('S256');
      expect(authorization.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);

      // The refresh token is in the keychain under profile:user; the access token works on the API.
      const account = keychainAccountFor('sandbox', state);
      expect(await harness.store.get(account)).toMatch(/.{16,}/);
      const token = await harness.service.getAccessToken();
      const me = await fetch(`${sim.url}/me`, { headers: { Authorization: `Bearer ${token}` } });
      expect(me.status).toBe(200);

      // Organizations and applications reachable, and the choice kept in the profile.
      const summary = await harness.service.accountSummary();
      expect(summary.organizations.map((org) => org.id)).toContain(sim.seed.orgId);
      expect(summary.applications.map((application) => application.id)).toContain(sim.seed.applicationId);
      await harness.service.selectApplication(sim.seed.applicationId);
      expect((await harness.service.target()).application?.name).toBe(sim.seed.applicationName);
    } finally {
      await harness.close();
    }
  });

  it('carries session state, never a token, over the contract', async () => {
    const browserSide = browserOpener(browser, evidence, (page) => logInAndConsent(page, sim.seed.technician));
    const harness = await createHarness(sim, evidence, { openExternal: browserSide.openExternal });
    try {
      const dispatch = createDispatcher(authHandlers(harness.service) as Handlers);
      const signedIn = await dispatch('auth.signIn', { profileId: 'sandbox', method: 'browser' }, { host: 'web' });
      await browserSide.done();
      expect(signedIn).toMatchObject({ ok: true, value: { status: 'signedIn' } });
      const answers = JSON.stringify([
        signedIn,
        await dispatch('auth.session.get', {}, { host: 'web' }),
        await dispatch('auth.account.get', {}, { host: 'web' }),
        await dispatch('auth.profiles.list', {}, { host: 'web' }),
        harness.states,
      ]);
      expect(evidence.tokens.size).toBeGreaterThan(0);
      for (const token of evidence.tokens) expect(answers).not.toContain(token);
      expect(await dispatch('auth.signOut', {}, { host: 'web' })).toMatchObject({
        ok: true,
        value: { status: 'signedOut', problem: null },
      });
    } finally {
      await harness.close();
    }
  });

  it('signs in with a device code entered in the browser', async () => {
    const harness = await createHarness(sim, evidence);
    const context = await browser.newContext();
    try {
      const signingIn = harness.service.signIn('sandbox', 'device');
      await expect.poll(() => harness.prompts.length, { timeout: 10_000 }).toBe(1);
      const prompt = harness.prompts[0]!;
      const page = await context.newPage();
      await page.goto(prompt.verificationUri);
      await page.getByLabel('Code').fill(prompt.userCode);
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByRole('button', { name: 'Continue' }).click();
      await logInAndConsent(page, sim.seed.technician);
      await page.getByRole('heading', { name: 'Station connected' }).waitFor();
      await expect(signingIn).resolves.toMatchObject({
        status: 'signedIn',
        account: { email: sim.seed.technician.email },
      });
      expect(prompt.userCode).toMatch(/\S{4,}/);
    } finally {
      await context.close();
      await harness.close();
    }
  }, 60_000);

  it('registers itself when the profile has no client id, and remembers the client', async () => {
    const browserSide = browserOpener(browser, evidence, (page) => logInAndConsent(page, sim.seed.technician));
    const harness = await createHarness(sim, evidence, {
      openExternal: browserSide.openExternal,
      sandbox: { apiUrl: sim.url, clientId: null },
    });
    try {
      await harness.service.signIn('sandbox', 'browser');
      await browserSide.done();
      const profile = await harness.service.profiles.get('sandbox');
      expect(profile.registeredClientId).toMatch(/.+/);
      expect(profile.registeredClientId).not.toBe(sim.seed.oauthClientId);
      expect(new URL(browserSide.opened[0]!).searchParams.get('client_id')).toBe(profile.registeredClientId);
      expect(sim.events().filter((event) => event.type === 'oauth.client.registered')).toHaveLength(1);
      await harness.service.signOut();
    } finally {
      await harness.close();
    }
  });

  it('signs out: revokes the refresh token and deletes the keychain entry', async () => {
    const browserSide = browserOpener(browser, evidence, (page) => logInAndConsent(page, sim.seed.technician));
    const harness = await createHarness(sim, evidence, { openExternal: browserSide.openExternal });
    try {
      const state = await harness.service.signIn('sandbox', 'browser');
      await browserSide.done();
      const account = keychainAccountFor('sandbox', state);
      const refreshToken = (await harness.store.get(account))!;
      expect(await harness.service.signOut()).toMatchObject({ status: 'signedOut', problem: null });
      expect(await harness.store.get(account)).toBeUndefined();
      // The platform no longer takes it.
      const reuse = await fetch(`${sim.url}/oauth/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: refreshToken,
          client_id: sim.seed.oauthClientId,
        }),
      });
      expect(reuse.status).toBe(400);
      expect(await reuse.json()).toMatchObject({ error: 'invalid_grant' });
      await expect(harness.service.getAccessToken()).rejects.toMatchObject({ code: 'AUTH_SIGNED_OUT' });
    } finally {
      await harness.close();
    }
  });
});
