import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningPlatformSimulator } from '../../../simulators/platform';
import { api, pkce, startSimulator, tokenRequest } from './helpers';

const chromiumPath = process.env['KEYLINE_CHROMIUM'] ?? '/usr/bin/chromium';

/** The login and consent pages in a real Chromium, found by their labels as the station's tests will. */
describe.skipIf(!existsSync(chromiumPath))('OAuth pages in Chromium', () => {
  let sim: RunningPlatformSimulator;
  let browser: Browser;
  let callback: Server;
  let port: number;
  let received: URL | undefined;

  beforeAll(async () => {
    sim = await startSimulator();
    browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-gpu'] });
    callback = createServer((req, res) => {
      // Chromium also asks for /favicon.ico: keep the redirect only.
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (url.pathname === '/callback') received = url;
      res.end('You can close this window.');
    });
    await new Promise<void>((resolve) => callback.listen(0, '127.0.0.1', resolve));
    port = (callback.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => callback?.close(resolve));
    await sim?.close();
  });

  async function start(maxRole?: string) {
    received = undefined;
    const { verifier, challenge } = pkce();
    const redirectUri = `http://127.0.0.1:${port}/callback`;
    const params = new URLSearchParams({
      response_type: 'code',
      client_id: sim.seed.oauthClientId,
      redirect_uri: redirectUri,
      scope: 'all.Application.bounded only.User.read',
      state: 'browser-state',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${sim.url}/oauth/authorize?${params}`);
    return { page, context, verifier, redirectUri, maxRole };
  }

  it('signs in with email and password, consents with a maximum role, and returns to the loopback client', async () => {
    const { page, context, verifier, redirectUri } = await start();
    try {
      await page.getByLabel('Email').fill(sim.seed.technician.email);
      await page.getByLabel('Password').fill(sim.seed.technician.password);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.getByLabel('Maximum role').waitFor({ timeout: 15_000 });
      expect(await page.getByLabel('Maximum role').inputValue()).toBe('collaborate');
      await page.getByLabel('Maximum role').selectOption('view');
      await page.getByLabel('Role in Brightwater Instruments').selectOption('collaborate');
      await page.getByRole('button', { name: 'Allow' }).click();
      await expect.poll(() => received?.searchParams.get('code') ?? null, { timeout: 15_000 }).not.toBeNull();
      expect(received?.searchParams.get('state')).toBe('browser-state');

      const tokens = await tokenRequest(sim, {
        grant_type: 'authorization_code',
        code: received?.searchParams.get('code') ?? '',
        redirect_uri: redirectUri,
        client_id: sim.seed.oauthClientId,
        code_verifier: verifier,
      });
      expect(tokens.status).toBe(200);
      const records = await api(sim, tokens.body.access_token).get('/me/oauth-tokens');
      expect(records.body.items[0]).toMatchObject({
        defaultRole: 'view',
        orgRoles: [{ orgId: sim.seed.orgId, role: 'collaborate' }],
      });
      // The override lets the token create devices in the factory despite the view cap.
      const created = await api(sim, tokens.body.access_token).post(`/applications/${sim.seed.applicationId}/devices`, {
        name: 'made in Chromium',
      });
      expect(created.status).toBe(201);
    } finally {
      await context.close();
    }
  });

  it('signs in with the demo technician button and denies', async () => {
    const { page, context } = await start();
    try {
      await page.getByRole('button', { name: 'Sign in as the demo technician' }).click();
      await page.getByRole('button', { name: 'Deny' }).click();
      await expect.poll(() => received?.searchParams.get('error') ?? null, { timeout: 15_000 }).toBe('access_denied');
    } finally {
      await context.close();
    }
  });

  it('completes the device authorization grant on the verification page', async () => {
    const started = await fetch(`${sim.url}/oauth/device/auth`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: sim.seed.oauthClientId, scope: 'all.Application.read' }).toString(),
    });
    const grant = (await started.json()) as { device_code: string; user_code: string; verification_uri: string };
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      await page.goto(grant.verification_uri);
      await page.getByLabel('Code').fill(grant.user_code);
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByRole('button', { name: 'Sign in as the demo technician' }).click();
      await page.getByRole('button', { name: 'Allow' }).click();
      await page.getByRole('heading', { name: 'Station connected' }).waitFor({ timeout: 15_000 });
      const tokens = await tokenRequest(sim, {
        grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
        device_code: grant.device_code,
        client_id: sim.seed.oauthClientId,
      });
      expect(tokens.status).toBe(200);
      expect(tokens.body.scope).toBe('all.Application.read');
    } finally {
      await context.close();
    }
  });
});
