import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startPlatformSimulator, type RunningPlatformSimulator } from '../../../simulators/platform';
import { Browser, formAction } from './helpers';

/**
 * Conformance of the simulator's OAuth server with the RFCs a standards-following native client
 * relies on, driven by an independent client library (panva's oauth4webapi, which checks issuer,
 * `iss`, `state`, PKCE and response shapes itself) and raw requests built from the RFC texts:
 * RFC 8414 metadata, RFC 8252 loopback redirects (any port, 127.0.0.1 and [::1]), RFC 7636 PKCE
 * S256, RFC 6749 code and refresh grants with §5.2 error bodies, refresh rotation with reuse
 * detection, RFC 7009 revocation, RFC 8628 device grant, RFC 7591 registration, RFC 9068 access
 * tokens. Only the login and consent pages (the simulator's own HTML) use the test Browser.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are checked field by field
type Json = any;

const insecure = { [oauth.allowInsecureRequests]: true };
const SCOPE = 'all.Application.bounded only.User.read';

let sim: RunningPlatformSimulator;
let as: oauth.AuthorizationServer;
let client: oauth.Client;

beforeAll(async () => {
  sim = await startPlatformSimulator({ port: 0, host: '127.0.0.1' });
  const issuer = new URL(sim.url);
  as = await oauth.processDiscoveryResponse(
    issuer,
    await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...insecure }),
  );
  client = { client_id: sim.seed.oauthClientId, token_endpoint_auth_method: 'none' };
});
afterAll(() => sim.close());
beforeEach(async () => {
  await sim.reset();
});

/** A free-looking loopback port: the point is that it was never registered. */
const somePort = () => 20000 + Math.floor(Math.random() * 40000);

interface Authorized {
  redirectUri: string;
  verifier: string;
  state: string;
  /** The redirect back to the client, as the loopback listener would receive it. */
  callback: URL;
}

/** Authorization request per RFC 6749 §4.1.1 + RFC 7636 §4.3, then the simulator's login and consent pages. */
async function authorize(
  options: { host?: string; clientId?: string; decision?: 'allow' | 'deny'; path?: string } = {},
): Promise<Authorized> {
  const redirectUri = `http://${options.host ?? '127.0.0.1'}:${somePort()}${options.path ?? '/callback'}`;
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const url = new URL(as.authorization_endpoint as string);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: options.clientId ?? client.client_id,
    redirect_uri: redirectUri,
    scope: SCOPE,
    state,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  }).toString();
  const browser = new Browser();
  let page = await browser.follow(url.href, sim.url);
  expect(page.location, 'the authorization request should show the login page').toBeFalsy();
  const login = await browser.request(new URL(formAction(page.text), sim.url).href, {
    method: 'POST',
    form: { email: sim.seed.technician.email, password: sim.seed.technician.password },
  });
  page = await browser.follow(new URL(login.location ?? '', sim.url).href, sim.url);
  const consent = await browser.request(new URL(formAction(page.text), sim.url).href, {
    method: 'POST',
    form: { maxRole: 'collaborate', decision: options.decision ?? 'allow' },
  });
  page = await browser.follow(new URL(consent.location ?? '', sim.url).href, sim.url);
  if (!page.location) throw new Error(`no redirect back to the client: ${page.status}`);
  const callback = new URL(page.location);
  return { redirectUri, verifier, state, callback };
}

async function exchange(done: Authorized, verifier = done.verifier, redirectUri = done.redirectUri) {
  const params = oauth.validateAuthResponse(as, client, done.callback, done.state);
  return oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, redirectUri, verifier, insecure);
}

async function signIn(host?: string) {
  const done = await authorize(host ? { host } : {});
  const response = await exchange(done);
  expect(response.headers.get('cache-control')).toContain('no-store');
  expect(response.headers.get('pragma')).toBe('no-cache');
  return oauth.processAuthorizationCodeResponse(as, client, response);
}

/** A token-endpoint request built by hand (RFC 6749 §3.2: form-encoded POST). */
async function rawToken(form: Record<string, string>) {
  const response = await fetch(as.token_endpoint as string, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams(form).toString(),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Json };
}

/** RFC 6749 §5.2: JSON `{error, error_description?}`, never cached. */
function expectOauthError(answer: { status: number; headers: Headers; body: Json }, status: number, error: string) {
  expect(answer.status).toBe(status);
  expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
  expect(answer.headers.get('cache-control')).toContain('no-store');
  expect(answer.body.error).toBe(error);
  if (answer.body.error_description !== undefined) expect(typeof answer.body.error_description).toBe('string');
}

async function restMe(accessToken: string) {
  const response = await fetch(`${sim.url}/me`, {
    headers: { accept: 'application/json', authorization: `Bearer ${accessToken}` },
  });
  return response.status;
}

async function refreshError(refreshToken: string): Promise<string | undefined> {
  const response = await oauth.refreshTokenGrantRequest(as, client, oauth.None(), refreshToken, insecure);
  try {
    await oauth.processRefreshTokenResponse(as, client, response);
    return undefined;
  } catch (error) {
    return (error as oauth.ResponseBodyError).error;
  }
}

describe('authorization server metadata (RFC 8414, OIDC discovery)', () => {
  it('publishes consistent endpoints and capabilities a public native client needs', async () => {
    expect(as.issuer).toBe(sim.url);
    expect(as.code_challenge_methods_supported).toEqual(['S256']);
    expect(as.response_types_supported).toEqual(['code']);
    expect(as.grant_types_supported).toEqual(
      expect.arrayContaining(['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code']),
    );
    expect(as.token_endpoint).toBe(`${sim.url}/oauth/token`);
    expect(as.revocation_endpoint).toBe(`${sim.url}/oauth/revoke`);
    expect(as.registration_endpoint).toBe(`${sim.url}/oauth/clients`);
    expect(as.device_authorization_endpoint).toMatch(new RegExp(`^${sim.url}/`));
    expect(as.token_endpoint_auth_methods_supported).toContain('none');
    // Absent, RFC 8414 §2 would mean client_secret_basic only: a public client could not revoke.
    expect(as.revocation_endpoint_auth_methods_supported).toContain('none');
    expect(as.scopes_supported).toEqual(
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
    const oidc = (await (await fetch(`${sim.url}/.well-known/openid-configuration`)).json()) as Json;
    for (const field of [
      'issuer',
      'authorization_endpoint',
      'token_endpoint',
      'revocation_endpoint',
      'device_authorization_endpoint',
    ]) {
      expect(oidc[field]).toBe((as as Json)[field]);
    }
  });
});

describe('authorization code grant with PKCE from a loopback redirect (RFC 6749, 7636, 8252)', () => {
  it.each(['127.0.0.1', '[::1]'])('works on any port of %s and gives an RFC 9068 access token', async (host) => {
    const tokens = await signIn(host);
    expect(tokens.token_type.toLowerCase()).toBe('bearer');
    expect(typeof tokens.expires_in).toBe('number');
    expect(typeof tokens.refresh_token).toBe('string');
    const claims = await oauth.validateJwtAccessToken(
      as,
      new Request(`${sim.url}/me`, { headers: { authorization: `Bearer ${tokens.access_token}` } }),
      sim.url,
      insecure,
    );
    expect(claims).toMatchObject({ client_id: client.client_id, sub: sim.seed.technician.id });
    expect(await restMe(tokens.access_token)).toBe(200);
  });

  it('echoes state and names the issuer in the redirect (RFC 9207); a state mismatch is caught', async () => {
    const done = await authorize();
    expect(done.callback.searchParams.get('state')).toBe(done.state);
    expect(done.callback.searchParams.get('iss')).toBe(sim.url);
    expect(() => oauth.validateAuthResponse(as, client, done.callback, 'another-state')).toThrow();
  });

  it('sends a denial back as error=access_denied with the state', async () => {
    const done = await authorize({ decision: 'deny' });
    expect(done.callback.searchParams.get('error')).toBe('access_denied');
    expect(done.callback.searchParams.get('state')).toBe(done.state);
    expect(() => oauth.validateAuthResponse(as, client, done.callback, done.state)).toThrow();
  });

  it('refuses a wrong code_verifier, another redirect_uri and a reused code with invalid_grant', async () => {
    const done = await authorize();
    const code = done.callback.searchParams.get('code') ?? '';
    const base = { grant_type: 'authorization_code', client_id: client.client_id, code };
    const wrongVerifier = await rawToken({
      ...base,
      redirect_uri: done.redirectUri,
      code_verifier: oauth.generateRandomCodeVerifier(),
    });
    expectOauthError(wrongVerifier, 400, 'invalid_grant');

    const again = await authorize();
    const otherPort = again.redirectUri.replace(/:\d+\//, `:${somePort()}/`);
    await expect(
      exchange(again, again.verifier, otherPort).then((response) =>
        oauth.processAuthorizationCodeResponse(as, client, response),
      ),
    ).rejects.toMatchObject({ error: 'invalid_grant' });

    // RFC 6749 §4.1.2: a code used twice is refused and what it issued is revoked.
    const third = await authorize();
    const tokens = await oauth.processAuthorizationCodeResponse(as, client, await exchange(third));
    const reuse = await rawToken({
      grant_type: 'authorization_code',
      client_id: client.client_id,
      code: third.callback.searchParams.get('code') ?? '',
      redirect_uri: third.redirectUri,
      code_verifier: third.verifier,
    });
    expectOauthError(reuse, 400, 'invalid_grant');
    expect(await refreshError(tokens.refresh_token as string)).toBe('invalid_grant');
    expect(await restMe(tokens.access_token)).toBe(401);
  });

  it('refuses an authorization request without PKCE or with plain, back at the registered redirect', async () => {
    const withoutPkce: Record<string, string> = {};
    for (const pkce of [withoutPkce, { code_challenge: 'a'.repeat(43), code_challenge_method: 'plain' }]) {
      const redirectUri = `http://127.0.0.1:${somePort()}/callback`;
      const url = new URL(as.authorization_endpoint as string);
      url.search = new URLSearchParams({
        response_type: 'code',
        client_id: client.client_id,
        redirect_uri: redirectUri,
        scope: SCOPE,
        state: 's-1',
        ...pkce,
      }).toString();
      const response = await fetch(url, { redirect: 'manual' });
      expect(response.status).toBeGreaterThanOrEqual(300);
      const location = new URL(response.headers.get('location') ?? '', sim.url);
      expect(location.href.startsWith(redirectUri)).toBe(true);
      expect(location.searchParams.get('error')).toBe('invalid_request');
      expect(location.searchParams.get('state')).toBe('s-1');
    }
  });

  it('never redirects to an unregistered URI (other host, path, scheme), on any port', async () => {
    for (const redirectUri of [
      `http://192.0.2.1:${somePort()}/callback`,
      `http://127.0.0.1:${somePort()}/other`,
      `https://127.0.0.1:${somePort()}/callback`,
      `http://127.0.0.1.example.com:${somePort()}/callback`,
    ]) {
      const url = new URL(as.authorization_endpoint as string);
      url.search = new URLSearchParams({
        response_type: 'code',
        client_id: client.client_id,
        redirect_uri: redirectUri,
        scope: SCOPE,
        code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
        code_challenge_method: 'S256',
      }).toString();
      const response = await fetch(url, { redirect: 'manual' });
      expect(response.status, redirectUri).toBe(400);
      expect(response.headers.get('location')).toBeNull();
    }
  });
});

describe('token endpoint errors (RFC 6749 §5.2)', () => {
  it('answers JSON errors with the right codes and statuses', async () => {
    expectOauthError(await rawToken({ client_id: client.client_id }), 400, 'invalid_request');
    expectOauthError(
      await rawToken({ grant_type: 'password', client_id: client.client_id }),
      400,
      'unsupported_grant_type',
    );
    expectOauthError(
      await rawToken({ grant_type: 'refresh_token', client_id: 'no-such-client', refresh_token: 'x' }),
      401,
      'invalid_client',
    );
    expectOauthError(
      await rawToken({ grant_type: 'refresh_token', client_id: client.client_id, refresh_token: 'not-a-token' }),
      400,
      'invalid_grant',
    );
  });
});

describe('refresh tokens: rotation, reuse detection, revocation (RFC 6749 §6, RFC 7009)', () => {
  it('rotates on every use; a reused refresh token is refused and kills the newest one too', async () => {
    const first = await signIn();
    const second = await oauth.processRefreshTokenResponse(
      as,
      client,
      await oauth.refreshTokenGrantRequest(as, client, oauth.None(), first.refresh_token as string, insecure),
    );
    expect(second.refresh_token).toBeDefined();
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(await restMe(second.access_token)).toBe(200);

    expect(await refreshError(first.refresh_token as string)).toBe('invalid_grant');
    expect(await refreshError(second.refresh_token as string)).toBe('invalid_grant');
    expect(await restMe(second.access_token)).toBe(401);
  });

  it('revokes a refresh token for a public client (client_id only); unknown tokens answer 200 too', async () => {
    const tokens = await signIn();
    await oauth.processRevocationResponse(
      await oauth.revocationRequest(as, client, oauth.None(), tokens.refresh_token as string, insecure),
    );
    expect(await refreshError(tokens.refresh_token as string)).toBe('invalid_grant');
    expect(await restMe(tokens.access_token)).toBe(401);
    await oauth.processRevocationResponse(
      await oauth.revocationRequest(as, client, oauth.None(), 'never-issued', insecure),
    );
  });
});

describe('revocation of access tokens and across clients (RFC 7009 §2.1)', () => {
  it('revokes an access token (and its grant) when its own client asks', async () => {
    const tokens = await signIn();
    const response = await oauth.revocationRequest(as, client, oauth.None(), tokens.access_token, {
      ...insecure,
      additionalParameters: { token_type_hint: 'access_token' },
    });
    expect(response.status).toBe(200);
    await oauth.processRevocationResponse(response);
    expect(await restMe(tokens.access_token)).toBe(401);
    expect(await refreshError(tokens.refresh_token as string)).toBe('invalid_grant');
  });

  it("does not let another public client revoke a client's tokens", async () => {
    const tokens = await signIn();
    const other = await oauth.processDynamicClientRegistrationResponse(
      await oauth.dynamicClientRegistrationRequest(
        as,
        {
          redirect_uris: ['http://127.0.0.1/cb'],
          token_endpoint_auth_method: 'none',
          application_type: 'native',
        } as Partial<oauth.Client>,
        insecure,
      ),
    );
    const stranger: oauth.Client = { client_id: other.client_id, token_endpoint_auth_method: 'none' };
    for (const token of [tokens.refresh_token as string, tokens.access_token]) {
      const response = await oauth.revocationRequest(as, stranger, oauth.None(), token, insecure);
      expect(response.status).toBe(200);
    }
    // Nor use them: RFC 6749 §6, the refresh token is bound to the client it was issued to.
    const stolen = await oauth.refreshTokenGrantRequest(
      as,
      stranger,
      oauth.None(),
      tokens.refresh_token as string,
      insecure,
    );
    await expect(oauth.processRefreshTokenResponse(as, stranger, stolen)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    expect(await restMe(tokens.access_token)).toBe(200);
    expect(await refreshError(tokens.refresh_token as string)).toBeUndefined();
  });
});

describe('device authorization grant (RFC 8628)', () => {
  it('answers authorization_pending until the user confirms, then tokens', async () => {
    const started = await oauth.processDeviceAuthorizationResponse(
      as,
      client,
      await oauth.deviceAuthorizationRequest(as, client, oauth.None(), { scope: SCOPE }, insecure),
    );
    expect(started.verification_uri).toMatch(new RegExp(`^${sim.url}/`));
    const poll = async () =>
      oauth.processDeviceCodeResponse(
        as,
        client,
        await oauth.deviceCodeGrantRequest(as, client, oauth.None(), started.device_code, insecure),
      );
    await expect(poll()).rejects.toMatchObject({ error: 'authorization_pending' });

    const browser = new Browser();
    const input = await browser.request(started.verification_uri);
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(input.text)?.[1] ?? '';
    const confirm = await browser.request(started.verification_uri, {
      method: 'POST',
      form: { xsrf, user_code: started.user_code },
    });
    const confirmXsrf = /name="xsrf" value="([^"]+)"/.exec(confirm.text)?.[1] ?? '';
    const confirmed = await browser.request(started.verification_uri, {
      method: 'POST',
      form: { xsrf: confirmXsrf, user_code: started.user_code, confirm: 'yes' },
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
    await browser.follow(new URL(consent.location ?? '', sim.url).href, sim.url);

    const tokens = await poll();
    expect(tokens.token_type.toLowerCase()).toBe('bearer');
    expect(await restMe(tokens.access_token)).toBe(200);
    // The device code is single-use.
    await expect(poll()).rejects.toMatchObject({ error: 'invalid_grant' });
  });
});

describe('dynamic client registration (RFC 7591)', () => {
  it('registers a public native client whose [::1] redirect then works on any port', async () => {
    const registered = await oauth.processDynamicClientRegistrationResponse(
      await oauth.dynamicClientRegistrationRequest(
        as,
        {
          client_name: 'Conformance client',
          redirect_uris: ['http://[::1]/cb'],
          token_endpoint_auth_method: 'none',
          grant_types: ['authorization_code', 'refresh_token'],
          response_types: ['code'],
          application_type: 'native',
        } as Partial<oauth.Client>,
        insecure,
      ),
    );
    expect(registered.token_endpoint_auth_method).toBe('none');
    const done = await authorize({ host: '[::1]', clientId: registered.client_id, path: '/cb' });
    const own: oauth.Client = { client_id: registered.client_id, token_endpoint_auth_method: 'none' };
    const params = oauth.validateAuthResponse(as, own, done.callback, done.state);
    const tokens = await oauth.processAuthorizationCodeResponse(
      as,
      own,
      await oauth.authorizationCodeGrantRequest(
        as,
        own,
        oauth.None(),
        params,
        done.redirectUri,
        done.verifier,
        insecure,
      ),
    );
    expect(await restMe(tokens.access_token)).toBe(200);
  });
});
