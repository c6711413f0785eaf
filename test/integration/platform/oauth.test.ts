import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningPlatformSimulator } from '../../../simulators/platform';
import {
  api,
  authorize,
  Browser,
  call,
  decodeJwt,
  formAction,
  signIn,
  startSimulator,
  tokenRequest,
  type Json,
} from './helpers';

let sim: RunningPlatformSimulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim.close());
beforeEach(async () => {
  await sim.reset();
});

function errorOf(location: string | undefined) {
  const url = new URL(location ?? 'http://invalid/');
  return { error: url.searchParams.get('error'), description: url.searchParams.get('error_description') };
}

describe('OAuth metadata (RFC 8414)', () => {
  it('publishes the endpoints, S256 only, and the scopes a client may request', async () => {
    const { status, body } = await call(sim.url, 'GET', '/.well-known/oauth-authorization-server');
    expect(status).toBe(200);
    expect(body.issuer).toBe(sim.url);
    expect(body.authorization_endpoint).toBe(`${sim.url}/oauth/authorize`);
    expect(body.token_endpoint).toBe(`${sim.url}/oauth/token`);
    expect(body.revocation_endpoint).toBe(`${sim.url}/oauth/revoke`);
    expect(body.registration_endpoint).toBe(`${sim.url}/oauth/clients`);
    expect(body.device_authorization_endpoint).toBe(`${sim.url}/oauth/device/auth`);
    expect(body.code_challenge_methods_supported).toEqual(['S256']);
    expect(body.response_types_supported).toEqual(['code']);
    expect(body.grant_types_supported).toEqual(
      expect.arrayContaining(['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code']),
    );
    expect(body.grant_types_supported).not.toContain('implicit');
    expect(body.scopes_supported).toEqual(
      expect.arrayContaining([
        'all.Application.read',
        'all.Application.bounded',
        'only.Organization.read',
        'only.Organization.bounded',
        'all.Organization.read',
        'all.Organization.bounded',
        'only.User.read',
      ]),
    );
    const discovery = await call(sim.url, 'GET', '/.well-known/openid-configuration');
    expect(discovery.status).toBe(200);
    expect(discovery.body.token_endpoint).toBe(body.token_endpoint);
    const jwks = await call(sim.url, 'GET', '/oauth/jwks');
    expect(jwks.body.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256' });
    expect(jwks.body.keys[0].d).toBeUndefined();
  });
});

describe('authorization code + PKCE', () => {
  it('issues an ES256 JWT access token that works on the REST API with the granted scopes', async () => {
    const { tokens, final, loginPage, consentPage } = await signIn(sim);
    expect(new URL(final ?? '').searchParams.get('state')).toBe('state-123');
    expect(tokens.status).toBe(200);
    expect(tokens.body).toMatchObject({ token_type: 'Bearer', expires_in: 1800 });
    expect(typeof tokens.body.refresh_token).toBe('string');

    const { header, payload } = decodeJwt(tokens.body.access_token);
    expect(header).toMatchObject({ alg: 'ES256', typ: 'at+jwt' });
    expect(typeof header.kid).toBe('string');
    expect(payload).toMatchObject({
      iss: sim.url,
      sub: sim.seed.technician.id,
      client_id: sim.seed.oauthClientId,
      scope: 'all.Application.bounded only.User.read',
      aud: sim.url,
      roleCap: 'collaborate',
    });
    expect(payload.exp - payload.iat).toBe(1800);
    expect(typeof payload.jti).toBe('string');

    const rest = api(sim, tokens.body.access_token);
    expect((await rest.get('/me')).body.email).toBe(sim.seed.technician.email);
    const created = await rest.post(`/applications/${sim.seed.applicationId}/devices`, { name: 'OAuth-made probe' });
    expect(created.status).toBe(201);

    // The pages carry the labels the station's browser tests use.
    expect(loginPage).toContain('<label for="email">Email</label>');
    expect(loginPage).toContain('<label for="password">Password</label>');
    expect(loginPage).toContain('>Sign in</button>');
    expect(loginPage).toContain('Sign in as the demo technician');
    expect(consentPage).toContain('<label for="maxRole">Maximum role</label>');
    expect(consentPage).toMatch(/<option value="collaborate" selected>/);
    expect(consentPage).toContain('Role in Brightwater Instruments');
    expect(consentPage).toContain('Role in Brightwater Field Service');
    expect(consentPage).toContain('>Allow</button>');
    expect(consentPage).toContain('>Deny</button>');
    expect(consentPage).toContain('create devices, report state, create and revoke access keys');
  });

  it('lists the token under /me/oauth-tokens: pending until the code exchange, authorized after', async () => {
    const first = await signIn(sim);
    const rest = api(sim, first.tokens.body.access_token);
    const pendingFlow = await authorize(sim);
    expect(pendingFlow.final).toContain('code=');

    const listed = await rest.get('/me/oauth-tokens');
    expect(listed.status).toBe(200);
    expect(listed.body.totalCount).toBe(2);
    const statuses = listed.body.items.map((item: Json) => item.oauth.authorizationStatus).sort();
    expect(statuses).toEqual(['authorized', 'pending']);
    const authorized = listed.body.items.find((item: Json) => item.oauth.authorizationStatus === 'authorized');
    expect(authorized).toMatchObject({
      id: decodeJwt(first.tokens.body.access_token).payload.oauthTokenId,
      ownerId: sim.seed.technician.id,
      scope: ['all.Application.bounded', 'only.User.read'],
      status: 'active',
      defaultRole: 'collaborate',
      oauth: { client_id: sim.seed.oauthClientId, redirect_uri: 'http://127.0.0.1:53123/callback' },
    });

    // Pending tokens vanish after 24 hours; authorized ones stay.
    sim.advanceClock(24 * 3600 + 60);
    const fresh = await tokenRequest(sim, {
      grant_type: 'refresh_token',
      refresh_token: first.tokens.body.refresh_token,
      client_id: sim.seed.oauthClientId,
    });
    const later = await api(sim, fresh.body.access_token).get('/me/oauth-tokens');
    expect(later.body.items.map((item: Json) => item.oauth.authorizationStatus)).toEqual(['authorized']);
  });

  it('refuses an authorization request without PKCE', async () => {
    const { final } = await authorize(sim, { omitPkce: true });
    expect(errorOf(final)).toMatchObject({ error: 'invalid_request' });
    expect(errorOf(final).description).toMatch(/PKCE/i);
  });

  it('refuses the plain PKCE method', async () => {
    const { final } = await authorize(sim, {
      omitPkce: true,
      extraParams: { code_challenge: 'a'.repeat(43), code_challenge_method: 'plain' },
    });
    expect(errorOf(final)).toMatchObject({ error: 'invalid_request' });
  });

  it('refuses a code exchange with the wrong verifier', async () => {
    const { final, redirectUri } = await authorize(sim);
    const code = new URL(final ?? '').searchParams.get('code') ?? '';
    const answer = await tokenRequest(sim, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      client_id: sim.seed.oauthClientId,
      code_verifier: 'x'.repeat(43),
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('invalid_grant');
  });

  it('accepts loopback redirect URIs on any port, IPv4 and IPv6', async () => {
    for (const redirect of [
      'http://127.0.0.1:1/callback',
      'http://127.0.0.1:65000/callback',
      'http://[::1]:40001/callback',
    ]) {
      const { tokens } = await signIn(sim, { redirect_uri: redirect });
      expect(tokens.status).toBe(200);
    }
  });

  it('refuses a redirect URI that is not registered, without redirecting there', async () => {
    for (const redirect of [
      'https://evil.example/callback',
      'http://127.0.0.1:5000/other',
      'http://localhost:5000/callback',
    ]) {
      const browser = new Browser();
      const params = new URLSearchParams({
        response_type: 'code',
        client_id: sim.seed.oauthClientId,
        redirect_uri: redirect,
        scope: 'all.Application.read',
        code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
        code_challenge_method: 'S256',
      });
      const answer = await browser.request(`${sim.url}/oauth/authorize?${params}`);
      expect(answer.status).toBe(400);
      expect(answer.location).toBeNull();
      expect(answer.text).toContain('redirect_uri');
    }
  });

  it('answers access_denied when the user denies', async () => {
    const { final } = await authorize(sim, { decision: 'deny' });
    expect(errorOf(final).error).toBe('access_denied');
  });

  it('signs in with the demo button and refuses a wrong password', async () => {
    const wrong = await authorize(sim, { user: { email: sim.seed.technician.email, password: 'not-it' } });
    expect(wrong.final).toBeUndefined();
    expect(wrong.loginAnswer?.status).toBe(401);
    expect(wrong.loginAnswer?.text).toContain('Email or password is not correct');

    const demo = await signIn(sim, { demoUserId: sim.seed.technician.id });
    expect(decodeJwt(demo.tokens.body.access_token).payload.sub).toBe(sim.seed.technician.id);
  });
});

describe('scopes and roles of OAuth tokens', () => {
  const devicesOf = () => `/applications/${sim.seed.applicationId}/devices`;

  it('a read-only scope reads but cannot create', async () => {
    const { tokens } = await signIn(sim, { scope: 'all.Application.read' });
    const rest = api(sim, tokens.body.access_token);
    expect((await rest.get(devicesOf())).status).toBe(200);
    const refused = await rest.post(devicesOf(), { name: 'nope' });
    expect(refused.status).toBe(401);
    expect(refused.body.message).toContain('devices.post');
    // No user scope was granted: /me is out of reach.
    expect((await rest.get('/me')).status).toBe(401);
  });

  it('unsupported scopes are never granted', async () => {
    const { tokens } = await signIn(sim, { scope: 'all.Application all.User only.User.read' });
    expect(tokens.body.scope).toBe('only.User.read');
  });

  it('bounded scopes cannot manage API tokens', async () => {
    const { tokens } = await signIn(sim, { user: sim.seed.admin!, maxRole: 'admin' });
    const rest = api(sim, tokens.body.access_token);
    const path = `/applications/${sim.seed.applicationId}/tokens`;
    expect((await rest.get(path)).status).toBe(200);
    expect((await rest.post(path, { name: 'sneaky', scope: ['all.Application'] })).status).toBe(401);
    expect((await rest.post(`/applications/${sim.seed.applicationId}/keys`, {})).status).toBe(201);
  });

  it('the maximum role caps what the token may do', async () => {
    const { tokens } = await signIn(sim, { maxRole: 'view' });
    const refused = await api(sim, tokens.body.access_token).post(devicesOf(), { name: 'nope' });
    expect(refused.status).toBe(401);
    expect(refused.body.message).toContain('Role "view"');
  });

  it('a per-organization override caps that organization only', async () => {
    const { tokens } = await signIn(sim, { maxRole: 'admin', orgRoles: { [sim.seed.orgId]: 'none' } });
    const rest = api(sim, tokens.body.access_token);
    expect((await rest.get(devicesOf())).status).toBe(404);
    expect((await rest.get('/applications')).body.items.map((item: Json) => item.name)).toEqual(['Field Returns']);
    const record = (await rest.get('/me/oauth-tokens')).body.items[0];
    expect(record.orgRoles).toEqual([{ orgId: sim.seed.orgId, role: 'none' }]);
  });

  it('a token never exceeds its user: read-only support cannot write whatever the cap', async () => {
    const { tokens } = await signIn(sim, { user: sim.seed.support, maxRole: 'admin' });
    const rest = api(sim, tokens.body.access_token);
    expect((await rest.get(devicesOf())).status).toBe(200);
    expect((await rest.post(devicesOf(), { name: 'nope' })).status).toBe(401);
  });

  it('the technician is only a viewer in the field organization', async () => {
    const { tokens } = await signIn(sim, { maxRole: 'admin' });
    const rest = api(sim, tokens.body.access_token);
    const returns = sim.seed.applications.find((application) => application.name === 'Field Returns');
    expect((await rest.get(`/applications/${returns?.id}/devices`)).status).toBe(200);
    expect((await rest.post(`/applications/${returns?.id}/devices`, { name: 'nope' })).status).toBe(401);
  });

  it('lowering the cap later applies to tokens already issued', async () => {
    const { tokens } = await signIn(sim);
    const rest = api(sim, tokens.body.access_token);
    expect((await rest.post(devicesOf(), { name: 'before' })).status).toBe(201);
    const id = decodeJwt(tokens.body.access_token).payload.oauthTokenId;
    // Token management is outside bounded scopes: the station cannot change its own token...
    expect((await rest.patch(`/me/oauth-tokens/${id}`, { defaultRole: 'view' })).status).toBe(401);
    // ...the user does, with a user API token.
    const cli = sim.seed.apiTokens.find((token) => token.name === "Sam's bench CLI")?.token;
    const patched = await api(sim, cli).patch(`/me/oauth-tokens/${id}`, { defaultRole: 'view' });
    expect(patched.body.defaultRole).toBe('view');
    expect((await rest.post(devicesOf(), { name: 'after' })).status).toBe(401);
  });
});

describe('refresh, rotation, revocation, expiry', () => {
  const refresh = (token: string) =>
    tokenRequest(sim, { grant_type: 'refresh_token', refresh_token: token, client_id: sim.seed.oauthClientId });

  it('rotates refresh tokens and refuses a reused one (revoking the whole token)', async () => {
    const { tokens } = await signIn(sim);
    const first = tokens.body.refresh_token as string;
    const second = await refresh(first);
    expect(second.status).toBe(200);
    expect(second.body.refresh_token).not.toBe(first);
    expect((await api(sim, second.body.access_token).get('/me')).status).toBe(200);

    const reused = await refresh(first);
    expect(reused.status).toBe(400);
    expect(reused.body.error).toBe('invalid_grant');
    // Reuse means theft: the newest refresh token and the access tokens die too.
    expect((await refresh(second.body.refresh_token)).body.error).toBe('invalid_grant');
    const refused = await api(sim, second.body.access_token).get('/me');
    expect(refused.status).toBe(401);
    expect(refused.body.message).toBe('OAuth token has been revoked');
    const events = sim.events().filter((event) => event.type === 'oauthToken.deleted');
    expect(events.at(-1)).toMatchObject({ reason: 'grant-revoked' });
  });

  it('revokes a refresh token (RFC 7009)', async () => {
    const { tokens } = await signIn(sim);
    const response = await fetch(`${sim.url}/oauth/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        token: tokens.body.refresh_token,
        token_type_hint: 'refresh_token',
        client_id: sim.seed.oauthClientId,
      }).toString(),
    });
    expect(response.status).toBe(200);
    expect((await refresh(tokens.body.refresh_token)).body.error).toBe('invalid_grant');
    expect((await api(sim, tokens.body.access_token).get('/me')).status).toBe(401);
  });

  it('access tokens expire after their lifetime; refresh gives a working one', async () => {
    const { tokens } = await signIn(sim);
    sim.advanceClock(1801);
    const expired = await api(sim, tokens.body.access_token).get('/me');
    expect(expired.status).toBe(401);
    expect(expired.body.message).toBe('Token has expired');
    const renewed = await refresh(tokens.body.refresh_token);
    expect((await api(sim, renewed.body.access_token).get('/me')).status).toBe(200);
    const { payload } = decodeJwt(renewed.body.access_token);
    expect(payload.exp - payload.iat).toBe(1800);
  });

  it('a configured short lifetime is honoured', async () => {
    const short = await startSimulator({ accessTokenTtlSeconds: 60 });
    try {
      const { tokens } = await signIn(short);
      expect(tokens.body.expires_in).toBe(60);
      short.advanceClock(61);
      expect((await api(short, tokens.body.access_token).get('/me')).status).toBe(401);
    } finally {
      await short.close();
    }
  });

  it('an inactive OAuth token is refused until reactivated; deleting it revokes refresh', async () => {
    const admin = await signIn(sim, { user: sim.seed.admin!, maxRole: 'admin' });
    const station = await signIn(sim);
    const stationId = decodeJwt(station.tokens.body.access_token).payload.oauthTokenId;
    const rest = api(sim, station.tokens.body.access_token);
    // Token management is outside bounded scopes, and these tokens only have only.User.read for /me.
    expect((await rest.patch(`/me/oauth-tokens/${stationId}`, { status: 'inactive' })).status).toBe(401);
    // The user manages OAuth tokens with a user API token (all.User).
    const userToken = sim.seed.apiTokens.find((token) => token.name === "Dana's automation token")?.token;
    expect(userToken).toBeDefined();
    const adminId = decodeJwt(admin.tokens.body.access_token).payload.oauthTokenId;
    const manage = api(sim, userToken);
    expect((await manage.patch(`/me/oauth-tokens/${adminId}`, { status: 'inactive' })).body.status).toBe('inactive');
    const refused = await api(sim, admin.tokens.body.access_token).get('/me');
    expect(refused.body.message).toBe('OAuth token is inactive');
    await manage.patch(`/me/oauth-tokens/${adminId}`, { status: 'active' });
    expect((await api(sim, admin.tokens.body.access_token).get('/me')).status).toBe(200);
    expect((await manage.delete(`/me/oauth-tokens/${adminId}`)).body).toEqual({ success: true });
    expect((await refresh(admin.tokens.body.refresh_token)).body.error).toBe('invalid_grant');
    expect((await manage.get(`/me/oauth-tokens/${adminId}`)).status).toBe(404);
  });
});

describe('dynamic client registration (RFC 7591)', () => {
  it('registers a public native client that can then sign in on a loopback port', async () => {
    const response = await fetch(`${sim.url}/oauth/clients`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        client_name: 'Line 4 station',
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        redirect_uris: ['http://127.0.0.1/cb'],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
      }),
    });
    expect(response.status).toBe(201);
    const client = (await response.json()) as Json;
    expect(client.client_secret).toBeUndefined();
    const { tokens, consentPage } = await signIn(sim, {
      client_id: client.client_id,
      redirect_uri: 'http://127.0.0.1:61000/cb',
      scope: 'all.Application.read',
    });
    expect(consentPage).toContain('Authorize Line 4 station');
    expect(tokens.status).toBe(200);
    expect(decodeJwt(tokens.body.access_token).payload.client_id).toBe(client.client_id);
  });

  it('refuses a native client with a non-loopback http redirect', async () => {
    const response = await fetch(`${sim.url}/oauth/clients`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        redirect_uris: ['http://station.example/cb'],
      }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as Json).error).toBe('invalid_redirect_uri');
  });
});

describe('device authorization grant (RFC 8628)', () => {
  it('signs a station in through the verification page', async () => {
    const started = await fetch(`${sim.url}/oauth/device/auth`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: sim.seed.oauthClientId, scope: 'all.Application.bounded' }).toString(),
    });
    expect(started.status).toBe(200);
    const grant = (await started.json()) as Json;
    expect(grant).toMatchObject({ verification_uri: `${sim.url}/oauth/device`, expires_in: 600 });
    const poll = () =>
      tokenRequest(sim, {
        grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
        device_code: grant.device_code,
        client_id: sim.seed.oauthClientId,
      });
    expect((await poll()).body.error).toBe('authorization_pending');

    const browser = new Browser();
    const input = await browser.request(grant.verification_uri);
    expect(input.text).toContain('<label for="user_code">Code</label>');
    expect(input.text).toContain('id="user_code"');
    expect(input.text).toContain('>Continue</button>');
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(input.text)?.[1] ?? '';
    const confirm = await browser.request(grant.verification_uri, {
      method: 'POST',
      form: { xsrf, user_code: grant.user_code },
    });
    expect(confirm.text).toContain(grant.user_code);
    const confirmXsrf = /name="xsrf" value="([^"]+)"/.exec(confirm.text)?.[1] ?? '';
    const confirmed = await browser.request(grant.verification_uri, {
      method: 'POST',
      form: { xsrf: confirmXsrf, user_code: grant.user_code, confirm: 'yes' },
    });
    let page = await browser.follow(new URL(confirmed.location ?? '', sim.url).href, sim.url);
    const login = await browser.request(new URL(formAction(page.text), sim.url).href, {
      method: 'POST',
      form: { email: sim.seed.technician.email, password: sim.seed.technician.password },
    });
    page = await browser.follow(new URL(login.location ?? '', sim.url).href, sim.url);
    const consent = await browser.request(new URL(formAction(page.text), sim.url).href, {
      method: 'POST',
      form: { maxRole: 'collaborate', decision: 'allow' },
    });
    page = await browser.follow(new URL(consent.location ?? '', sim.url).href, sim.url);
    expect(page.text).toContain('Station connected');

    const tokens = await poll();
    expect(tokens.status).toBe(200);
    const created = await api(sim, tokens.body.access_token).post(`/applications/${sim.seed.applicationId}/devices`, {
      name: 'Device-flow probe',
    });
    expect(created.status).toBe(201);
  });
});
