import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from './clock';
import { discoverServer } from './discovery';
import { fakeAccessToken, startFakeOAuthServer, type FakeOAuthServer } from './fake-oauth-server.test-support';
import { registerClient } from './client-registration';
import { OAuthClient } from './oauth-client';
import { readRoleCap } from './token-set';
import { vetAuthorizationUrl } from './sign-in-flows';

let server: FakeOAuthServer;
beforeEach(async () => {
  server = await startFakeOAuthServer();
  server.answer('/.well-known/oauth-authorization-server', { status: 200, body: server.metadata() });
});
afterEach(async () => {
  await server.close();
});

async function client(clock = new ManualClock()) {
  return new OAuthClient(await discoverServer(server.url), 'keyline-station', { clock });
}

const tokenAnswer = (overrides: Record<string, unknown> = {}) => ({
  status: 200,
  body: {
    access_token: fakeAccessToken(),
    token_type: 'Bearer',
    expires_in: 1800,
    refresh_token: 'rotated-refresh-token',
    scope: 'all.Application.bounded only.User.read',
    ...overrides,
  },
});

describe('OAuthClient', () => {
  it('builds an S256 PKCE authorization URL on the discovered endpoint', async () => {
    const oauth = await client();
    const url = await oauth.authorizationUrl({
      redirectUri: 'http://127.0.0.1:5000/callback',
      scopes: 'all.Application.bounded',
      state: 'st',
      codeVerifier: 'v'.repeat(43),
    });
    expect(url.origin + url.pathname).toBe(`${server.url}/oauth/authorize`);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      client_id: 'keyline-station',
      response_type: 'code',
      code_challenge_method: 'S256',
      state: 'st',
      redirect_uri: 'http://127.0.0.1:5000/callback',
    });
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(vetAuthorizationUrl(url, oauth.as)).toBe(url);
  });

  it('refuses to open anything but the authorization endpoint', async () => {
    const oauth = await client();
    for (const url of [
      `${server.url}/elsewhere?x=1`,
      'https://attacker.example.com/oauth/authorize',
      'file:///etc/passwd',
      `http://user:pw@127.0.0.1:${new URL(server.url).port}/oauth/authorize`,
    ]) {
      expect(() => vetAuthorizationUrl(new URL(url), oauth.as)).toThrow(
        expect.objectContaining({ code: 'AUTH_UNVETTED_URL' }),
      );
    }
  });

  it('checks state and issuer of the redirect, each with its own error', async () => {
    const oauth = await client();
    const params = (query: string) => new URLSearchParams(query);
    expect(() => oauth.validateCallback(params('code=c&state=other'), 'mine')).toThrow(
      expect.objectContaining({ code: 'AUTH_STATE_MISMATCH' }),
    );
    expect(() => oauth.validateCallback(params('code=c&state=mine&iss=https%3A%2F%2Fevil.example'), 'mine')).toThrow(
      expect.objectContaining({ code: 'AUTH_ISSUER_MISMATCH' }),
    );
    expect(() => oauth.validateCallback(params('error=access_denied&state=mine'), 'mine')).toThrow(
      expect.objectContaining({ code: 'AUTH_DENIED' }),
    );
    expect(() => oauth.validateCallback(params('error=server_error&state=mine'), 'mine')).toThrow(
      expect.objectContaining({ code: 'AUTH_SERVER_ERROR' }),
    );
    expect(
      oauth.validateCallback(params(`code=c&state=mine&iss=${encodeURIComponent(server.url)}`), 'mine').get('code'),
    ).toBe('c');
  });

  it('renews with the refresh token and reports granted scopes and role cap', async () => {
    const clock = new ManualClock();
    const oauth = await client(clock);
    server.answer('/oauth/token', tokenAnswer());
    const tokens = await oauth.refresh('old-refresh-token', 'all.Application.bounded');
    expect(tokens).toMatchObject({
      refreshToken: 'rotated-refresh-token',
      expiresAt: clock.now() + 1_800_000,
      scopes: ['all.Application.bounded', 'only.User.read'],
      roleCap: 'collaborate',
    });
    const form = server.requests.at(-1)!.form;
    expect(Object.fromEntries(form)).toMatchObject({
      grant_type: 'refresh_token',
      refresh_token: 'old-refresh-token',
      client_id: 'keyline-station',
    });
  });

  it('maps invalid_grant to a session that ended, and other errors to server errors', async () => {
    const oauth = await client();
    server.answer('/oauth/token', {
      status: 400,
      body: { error: 'invalid_grant', error_description: 'grant request is invalid' },
    });
    const ended = await oauth.refresh('rt-secret-value', '').catch((error: unknown) => error);
    expect(ended).toMatchObject({ code: 'AUTH_SESSION_ENDED' });
    expect(JSON.stringify(ended) + (ended as Error).message).not.toContain('rt-secret-value');
    server.answer('/oauth/token', { status: 500, body: 'oops' });
    await expect(oauth.refresh('x', '')).rejects.toMatchObject({ code: 'AUTH_SERVER_ERROR' });
    server.answer('/oauth/token', { status: 400, body: { error: 'invalid_client' } });
    await expect(oauth.refresh('x', '')).rejects.toMatchObject({
      code: 'AUTH_SERVER_ERROR',
      message: expect.stringContaining('invalid_client'),
    });
  });

  it('revokes a refresh token (RFC 7009)', async () => {
    const oauth = await client();
    server.answer('/oauth/revoke', { status: 200, body: '' });
    expect(await oauth.revoke('the-refresh-token')).toBe(true);
    expect(Object.fromEntries(server.requests.at(-1)!.form)).toMatchObject({
      token: 'the-refresh-token',
      token_type_hint: 'refresh_token',
    });
  });

  it('polls the device code at the server interval and slows down when told', async () => {
    const clock = new ManualClock();
    const oauth = await client(clock);
    server.answer('/oauth/device', {
      status: 200,
      body: {
        device_code: 'dc',
        user_code: 'ABCD-EFGH',
        verification_uri: `${server.url}/device`,
        expires_in: 600,
        interval: 5,
      },
    });
    server.answer(
      '/oauth/token',
      { status: 400, body: { error: 'authorization_pending' } },
      { status: 400, body: { error: 'slow_down' } },
      { status: 400, body: { error: 'authorization_pending' } },
      tokenAnswer(),
    );
    const device = await oauth.startDeviceAuthorization('all.Application.bounded');
    expect(device).toMatchObject({ userCode: 'ABCD-EFGH', intervalMs: 5000 });
    const polled: number[] = [];
    const start = clock.now();
    let settled = false;
    const tokens = oauth.pollDeviceAuthorization(device, 'all.Application.bounded', new AbortController().signal);
    void tokens.finally(() => (settled = true)).catch(() => undefined);
    const pollCount = () => server.requests.filter((request) => request.path === '/oauth/token').length;
    const until = async (condition: () => boolean) => {
      for (let waited = 0; waited < 5000 && !condition(); waited += 5) await new Promise((r) => setTimeout(r, 5));
    };
    // Step the clock a second at a time, only while the poller sleeps, and note when each poll went out.
    while (!settled) {
      await until(() => clock.sleeping === 1 || settled);
      if (settled) break;
      const before = pollCount();
      clock.advance(1000);
      await new Promise((resolve) => setTimeout(resolve, 0));
      await until(() => clock.sleeping === 1 || settled);
      if (pollCount() > before) polled.push(clock.now() - start);
    }
    await expect(tokens).resolves.toMatchObject({ refreshToken: 'rotated-refresh-token' });
    // 5 s, then 5 s, then slow_down: 10 s between the later polls.
    expect(polled).toEqual([5000, 10_000, 20_000, 30_000]);
    expect(Object.fromEntries(server.requests.at(-1)!.form)).toMatchObject({
      grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
      device_code: 'dc',
    });
  });

  it('stops polling when the device code expires or is denied', async () => {
    const clock = new ManualClock();
    const oauth = await client(clock);
    const device = {
      deviceCode: 'dc',
      userCode: 'U',
      verificationUri: 'x',
      verificationUriComplete: null,
      expiresAt: clock.now() + 3000,
      intervalMs: 5000,
    };
    const expired = oauth.pollDeviceAuthorization(device, '', new AbortController().signal);
    clock.advance(5000);
    await expect(expired).rejects.toMatchObject({ code: 'AUTH_DEVICE_CODE_EXPIRED' });

    server.answer('/oauth/token', { status: 400, body: { error: 'access_denied' } });
    const denied = oauth.pollDeviceAuthorization(
      { ...device, expiresAt: clock.now() + 60_000 },
      '',
      new AbortController().signal,
    );
    clock.advance(5000);
    await expect(denied).rejects.toMatchObject({ code: 'AUTH_DENIED' });
  });

  it('registers itself as a public native client with a loopback redirect', async () => {
    server.answer('/oauth/clients', { status: 201, body: { client_id: 'registered-id', redirect_uris: [] } });
    const as = await discoverServer(server.url);
    expect(await registerClient(as)).toBe('registered-id');
    const body = JSON.parse(server.requests.at(-1)!.body) as Record<string, unknown>;
    expect(body).toMatchObject({
      token_endpoint_auth_method: 'none',
      application_type: 'native',
      redirect_uris: ['http://127.0.0.1/callback'],
    });
  });

  it('reads the role cap only from a JWT access token', () => {
    expect(readRoleCap(fakeAccessToken({ roleCap: 'view' }))).toBe('view');
    expect(readRoleCap(fakeAccessToken({ roleCap: 'root' }))).toBeNull();
    expect(readRoleCap('opaque-token')).toBeNull();
  });
});
