import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeviceCodePrompt, SessionState } from '../../common/contract/auth';
import { SecretRedactor } from '../security/secret-redactor';
import { AuthService, type AuthServiceOptions } from './auth-service';
import { fakeAccessToken, startFakeOAuthServer, type FakeOAuthServer } from './fake-oauth-server.test-support';
import { MemorySecretStore } from './secret-store';

const USER = { id: 'a'.repeat(24), email: 'tech@example.com', fullName: 'Ana Tech' };
const ORG = { id: 'b'.repeat(24), name: 'Acme Cold Chain', members: [{ userId: USER.id, role: 'collaborate' }] };
const APP = { id: 'c'.repeat(24), name: 'Cold Chain Sensors' };

let dir: string;
let server: FakeOAuthServer;
let store: MemorySecretStore;
let states: SessionState[];
let prompts: DeviceCodePrompt[];
let opened: string[];
let service: AuthService;
let serial = 0;
beforeEach(() => {
  serial = 0;
});

function tokenAnswer() {
  serial += 1;
  return {
    status: 200,
    body: {
      access_token: fakeAccessToken({ n: serial }),
      token_type: 'Bearer',
      expires_in: 1800,
      refresh_token: `refresh-token-number-${serial}`,
      scope: 'all.Application.bounded only.Organization.read only.User.read',
    },
  };
}

/** Plays the technician's browser: follows the authorization URL straight back to the redirect URI. */
function browser(tamper: (redirect: URL) => void = () => undefined) {
  return (url: string) => {
    opened.push(url);
    const authorization = new URL(url);
    const redirect = new URL(authorization.searchParams.get('redirect_uri')!);
    redirect.searchParams.set('code', 'authorization-code-value');
    redirect.searchParams.set('state', authorization.searchParams.get('state')!);
    redirect.searchParams.set('iss', server.url);
    tamper(redirect);
    void fetch(redirect).catch(() => undefined);
  };
}

async function createService(overrides: Partial<AuthServiceOptions> = {}) {
  service = new AuthService({
    dataDir: dir,
    redactor: new SecretRedactor(),
    openExternal: browser(),
    emit: { sessionChanged: (state) => states.push(state), deviceCode: (prompt) => prompts.push(prompt) },
    secretStore: store,
    sandbox: { apiUrl: server.url, clientId: 'keyline-station' },
    browserTimeoutMs: 3000,
    ...overrides,
  });
  await service.start();
  return service;
}

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'keyline-auth-'));
  server = await startFakeOAuthServer();
  server.answer('/.well-known/oauth-authorization-server', { status: 200, body: server.metadata() });
  server.answer('/me', { status: 200, body: USER });
  server.answer('/orgs', { status: 200, body: { items: [ORG], count: 1, totalCount: 1 } });
  server.answer('/applications', { status: 200, body: { items: [APP], count: 1, totalCount: 1 } });
  server.answer('/oauth/revoke', { status: 200, body: '' });
  store = new MemorySecretStore();
  states = [];
  prompts = [];
  opened = [];
});

afterEach(async () => {
  await service.close();
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

async function filesText(): Promise<string> {
  const names = await readdir(dir, { recursive: true });
  const texts = await Promise.all(names.map((name) => readFile(path.join(dir, String(name)), 'utf8').catch(() => '')));
  return texts.join('\n');
}

describe('AuthService', () => {
  it('signs in through the browser and shows who, until when, scopes and role cap', async () => {
    server.answer('/oauth/token', tokenAnswer());
    await createService();
    const state = await service.signIn('sandbox', 'browser');
    expect(state).toMatchObject({
      status: 'signedIn',
      profileId: 'sandbox',
      account: { userId: USER.id, email: USER.email, name: 'Ana Tech' },
      scopes: ['all.Application.bounded', 'only.Organization.read', 'only.User.read'],
      roleCap: 'collaborate',
      persistence: 'memory',
    });
    expect(states[0]?.status).toBe('signingIn');
    expect(states.at(-1)?.status).toBe('signedIn');
    expect(opened[0]).toContain(`${server.url}/oauth/authorize?`);
    expect(await store.get(`sandbox:${USER.id}`)).toBe('refresh-token-number-1');
    const exchange = server.requests.find((request) => request.form.get('grant_type') === 'authorization_code')!;
    expect(exchange.form.get('code')).toBe('authorization-code-value');
    expect(exchange.form.get('code_verifier')).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
    const text = await filesText();
    expect(text).toContain(USER.email);
    expect(text).not.toContain('refresh-token-number');
    expect(text).not.toContain(fakeAccessToken().split('.')[0] + '.');
  });

  it('lists organizations and applications and keeps the chosen application', async () => {
    server.answer('/oauth/token', tokenAnswer());
    await createService();
    await service.signIn('sandbox', 'browser');
    const summary = await service.accountSummary();
    expect(summary).toEqual({
      account: { userId: USER.id, email: USER.email, name: 'Ana Tech' },
      organizations: [{ id: ORG.id, name: ORG.name, role: 'collaborate' }],
      applications: [{ id: APP.id, name: APP.name, organizationId: ORG.id, organizationName: ORG.name }],
      selectedApplication: null,
    });
    expect(await service.selectApplication(APP.id)).toEqual({ id: APP.id, name: APP.name });
    expect((await service.target()).application).toEqual({ id: APP.id, name: APP.name });
    await expect(service.selectApplication('d'.repeat(24))).rejects.toMatchObject({ code: 'AUTH_FORBIDDEN' });
  });

  it('resumes from the keychain at the next launch and renews', async () => {
    server.answer('/oauth/token', tokenAnswer());
    await createService();
    await service.signIn('sandbox', 'browser');
    await service.close();
    server.answer('/oauth/token', tokenAnswer());
    await createService();
    await service.ready();
    expect(service.state()).toMatchObject({ status: 'signedIn', account: { email: USER.email } });
    expect(await store.get(`sandbox:${USER.id}`)).toBe('refresh-token-number-2');
  });

  it('signs out at launch with a clear prompt when the saved sign-in was revoked', async () => {
    server.answer('/oauth/token', tokenAnswer());
    await createService();
    await service.signIn('sandbox', 'browser');
    await service.close();
    server.answer('/oauth/token', { status: 400, body: { error: 'invalid_grant' } });
    await createService();
    await service.ready();
    expect(service.state()).toMatchObject({
      status: 'signedOut',
      problem: { code: 'AUTH_SESSION_ENDED', message: expect.stringContaining('sign in again') },
    });
    expect(store.size).toBe(0);
    await expect(service.getAccessToken()).rejects.toMatchObject({ code: 'AUTH_SESSION_ENDED' });
    // The platform client's token source gets "no fresh token" rather than an error.
    await expect(service.refreshAfterUnauthorized('any')).resolves.toBeUndefined();
  });

  it.each([
    ['a state mismatch', (redirect: URL) => redirect.searchParams.set('state', 'forged'), 'AUTH_STATE_MISMATCH'],
    [
      'another issuer',
      (redirect: URL) => redirect.searchParams.set('iss', 'https://evil.example'),
      'AUTH_ISSUER_MISMATCH',
    ],
    [
      'a refusal on the consent page',
      (redirect: URL) => redirect.searchParams.set('error', 'access_denied'),
      'AUTH_DENIED',
    ],
    ['the wrong path', (redirect: URL) => (redirect.pathname = '/elsewhere'), 'AUTH_CALLBACK_WRONG_PATH'],
  ])('fails with a typed error and stores nothing on %s', async (_name, tamper, code) => {
    server.answer('/oauth/token', tokenAnswer());
    await createService({ openExternal: browser(tamper) });
    await expect(service.signIn('sandbox', 'browser')).rejects.toMatchObject({ code });
    expect(store.size).toBe(0);
    expect(service.state()).toMatchObject({ status: 'signedOut', problem: { code } });
    expect(server.requests.some((request) => request.form.get('grant_type') === 'authorization_code')).toBe(false);
  });

  it('times out when the browser never comes back', async () => {
    await createService({ openExternal: () => undefined, browserTimeoutMs: 200 });
    await expect(service.signIn('sandbox', 'browser')).rejects.toMatchObject({ code: 'AUTH_TIMEOUT' });
    expect(store.size).toBe(0);
  });

  it('fails with a server error when the code exchange is refused, storing nothing', async () => {
    server.answer('/oauth/token', { status: 400, body: { error: 'invalid_request' } });
    await createService();
    await expect(service.signIn('sandbox', 'browser')).rejects.toMatchObject({ code: 'AUTH_SERVER_ERROR' });
    expect(store.size).toBe(0);
  });

  it('gives the tokens back when /me fails after the exchange', async () => {
    server.answer('/oauth/token', tokenAnswer());
    server.answer('/me', { status: 500, body: { type: 'Error', message: 'down' } });
    await createService();
    await expect(service.signIn('sandbox', 'browser')).rejects.toMatchObject({ code: 'AUTH_NETWORK' });
    expect(store.size).toBe(0);
    const revoked = server.requests.filter((request) => request.path === '/oauth/revoke');
    expect(revoked.map((request) => request.form.get('token'))).toEqual(['refresh-token-number-1']);
  });

  it('can be cancelled while waiting for the browser', async () => {
    await createService({ openExternal: () => undefined });
    const pending = service.signIn('sandbox', 'browser');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(service.state()).toMatchObject({ status: 'signingIn', method: 'browser' });
    await expect(service.signIn('sandbox', 'device')).rejects.toMatchObject({ code: 'AUTH_BUSY' });
    expect(service.cancelSignIn()).toBe(true);
    await expect(pending).rejects.toMatchObject({ code: 'AUTH_CANCELLED' });
    expect(service.state()).toEqual({ status: 'signedOut', profileId: 'sandbox', problem: null });
  });

  it('signs in with a device code and shows the code to the technician', async () => {
    server.answer('/oauth/device', {
      status: 200,
      body: {
        device_code: 'device-code-value',
        user_code: 'WDJB-MJHT',
        verification_uri: `${server.url}/device`,
        expires_in: 600,
        interval: 1,
      },
    });
    server.answer('/oauth/token', { status: 400, body: { error: 'authorization_pending' } }, tokenAnswer());
    await createService();
    const state = await service.signIn('sandbox', 'device');
    expect(state.status).toBe('signedIn');
    expect(prompts).toEqual([
      expect.objectContaining({ profileId: 'sandbox', userCode: 'WDJB-MJHT', verificationUri: `${server.url}/device` }),
    ]);
  });

  it('signs out: revokes, deletes the keychain entry, and refuses tokens afterwards', async () => {
    server.answer('/oauth/token', tokenAnswer());
    await createService();
    await service.signIn('sandbox', 'browser');
    expect(await service.signOut()).toEqual({ status: 'signedOut', profileId: 'sandbox', problem: null });
    expect(server.requests.filter((request) => request.path === '/oauth/revoke')).toHaveLength(1);
    expect(store.size).toBe(0);
    await expect(service.getAccessToken()).rejects.toMatchObject({ code: 'AUTH_SIGNED_OUT' });
  });

  it('registers a client when the profile has none, and remembers it', async () => {
    server.answer('/oauth/clients', { status: 201, body: { client_id: 'registered-client' } });
    server.answer('/oauth/token', tokenAnswer());
    await createService({ sandbox: { apiUrl: server.url } });
    await service.signIn('sandbox', 'browser');
    expect(new URL(opened[0]!).searchParams.get('client_id')).toBe('registered-client');
    expect((await service.profiles.get('sandbox')).registeredClientId).toBe('registered-client');
    server.answer('/oauth/token', tokenAnswer());
    await service.signOut();
    await service.signIn('sandbox', 'browser');
    expect(server.requests.filter((request) => request.path === '/oauth/clients')).toHaveLength(1);
  });
});
