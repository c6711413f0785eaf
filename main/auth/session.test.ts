import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SecretRedactor } from '../security/secret-redactor';
import { AuthError } from './auth-error';
import { ManualClock } from './clock';
import type { OAuthClient } from './oauth-client';
import type { TokenSet } from './token-set';
import { keychainAccount, MemorySecretStore, type SecretStore } from './secret-store';
import { Session, type SessionOptions } from './session';

const account = { userId: 'a'.repeat(24), email: 'tech@example.com', name: 'Tech' };
const KEY = keychainAccount('sandbox', account.userId);
const LIFETIME = 30 * 60_000;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'keyline-session-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A scripted token endpoint: rotates refresh tokens and refuses spent ones, as the simulator does. */
class ScriptedServer {
  refreshCalls: string[] = [];
  revoked: string[] = [];
  #serial = 0;
  #valid = new Set<string>();
  #gate: Promise<void> | undefined;
  constructor(readonly clock: ManualClock) {}

  issue(): TokenSet {
    this.#serial += 1;
    const refreshToken = `refresh-token-${this.#serial}-xxxxxxxx`;
    this.#valid.add(refreshToken);
    return {
      accessToken: `access-token-${this.#serial}-xxxxxxxx`,
      refreshToken,
      expiresAt: this.clock.now() + LIFETIME,
      scopes: ['all.Application.bounded'],
      roleCap: 'collaborate',
    };
  }

  /** Holds every refresh until released, to pile up concurrent callers. */
  hold(): () => void {
    let release!: () => void;
    this.#gate = new Promise((resolve) => (release = resolve));
    return () => {
      this.#gate = undefined;
      release();
    };
  }

  client(): OAuthClient {
    return {
      refresh: async (refreshToken: string) => {
        this.refreshCalls.push(refreshToken);
        await this.#gate;
        if (!this.#valid.delete(refreshToken)) {
          throw new AuthError(
            'AUTH_SESSION_ENDED',
            'server no longer accepts this sign-in (invalid_grant); sign in again',
          );
        }
        return this.issue();
      },
      revoke: async (token: string) => {
        this.revoked.push(token);
        this.#valid.delete(token);
        return true;
      },
    } as unknown as OAuthClient;
  }
}

function setup(overrides: Partial<SessionOptions> = {}) {
  const clock = new ManualClock();
  const server = new ScriptedServer(clock);
  const store = new MemorySecretStore();
  const redactor = new SecretRedactor();
  let changes = 0;
  const options: SessionOptions = {
    profileId: 'sandbox',
    account,
    scopes: 'all.Application.bounded',
    client: async () => server.client(),
    store,
    lockFile: path.join(dir, 'locks', 'sign-in-sandbox.lock'),
    clock,
    protect: (secret) => redactor.add(secret),
    onChange: () => (changes += 1),
    ...overrides,
  };
  return { clock, server, store, redactor, options, changes: () => changes };
}

describe('Session', () => {
  it('keeps the refresh token in the store and the access token in memory', async () => {
    const { server, store, options, redactor } = setup();
    const tokens = server.issue();
    const session = await Session.establish(options, tokens);
    expect(await store.get(KEY)).toBe(tokens.refreshToken);
    expect(await session.getAccessToken()).toBe(tokens.accessToken);
    expect(server.refreshCalls).toEqual([]);
    expect(session.snapshot()).toMatchObject({ persistence: 'memory', roleCap: 'collaborate', ended: null });
    expect(redactor.redact(`${tokens.accessToken} ${tokens.refreshToken}`)).toBe('[REDACTED] [REDACTED]');
  });

  it('renews shortly before expiry and saves the rotated refresh token first', async () => {
    const { server, store, clock, options } = setup();
    const first = server.issue();
    const session = await Session.establish(options, first);
    clock.advance(LIFETIME - 30_000);
    const token = await session.getAccessToken();
    expect(token).toBe('access-token-2-xxxxxxxx');
    expect(server.refreshCalls).toEqual([first.refreshToken]);
    expect(await store.get(KEY)).toBe('refresh-token-2-xxxxxxxx');
  });

  it('makes concurrent lanes wait for one renewal', async () => {
    const { server, clock, options } = setup();
    const session = await Session.establish(options, server.issue());
    clock.advance(LIFETIME);
    const release = server.hold();
    const lanes = Array.from({ length: 16 }, () => session.getAccessToken());
    await new Promise((resolve) => setTimeout(resolve, 50));
    release();
    const tokens = await Promise.all(lanes);
    expect(new Set(tokens)).toEqual(new Set(['access-token-2-xxxxxxxx']));
    expect(server.refreshCalls).toHaveLength(1);
  });

  it('renews after a 401 once, however many lanes saw it', async () => {
    const { server, options } = setup();
    const first = server.issue();
    const session = await Session.establish(options, first);
    const release = server.hold();
    const lanes = Array.from({ length: 8 }, () => session.refreshAfter401(first.accessToken));
    await new Promise((resolve) => setTimeout(resolve, 50));
    release();
    expect(new Set(await Promise.all(lanes))).toEqual(new Set(['access-token-2-xxxxxxxx']));
    // A lane that saw the 401 late gets the renewed token without another renewal.
    expect(await session.refreshAfter401(first.accessToken)).toBe('access-token-2-xxxxxxxx');
    expect(server.refreshCalls).toHaveLength(1);
  });

  it('reads the refresh token again under the lock (another process rotated it)', async () => {
    const { server, store, clock, options } = setup();
    const session = await Session.establish(options, server.issue());
    // The CLI renewed meanwhile: token 1 is spent, token 2 is in the keychain.
    const rotated = await server.client().refresh('refresh-token-1-xxxxxxxx', '');
    await store.set(KEY, rotated.refreshToken!);
    clock.advance(LIFETIME);
    expect(await session.getAccessToken()).toBe('access-token-3-xxxxxxxx');
    expect(server.refreshCalls.at(-1)).toBe('refresh-token-2-xxxxxxxx');
    expect(session.ended).toBe(false);
  });

  it('ends for good when the refresh token is refused, without asking again', async () => {
    const { server, store, clock, options } = setup();
    const first = server.issue();
    const session = await Session.establish(options, first);
    await server.client().revoke(first.refreshToken!);
    clock.advance(LIFETIME);
    await expect(session.getAccessToken()).rejects.toMatchObject({ code: 'AUTH_SESSION_ENDED' });
    expect(await store.get(KEY)).toBeUndefined();
    const calls = server.refreshCalls.length;
    await expect(session.getAccessToken()).rejects.toMatchObject({ code: 'AUTH_SESSION_ENDED' });
    await expect(session.refreshAfter401('anything')).rejects.toMatchObject({ code: 'AUTH_SESSION_ENDED' });
    expect(server.refreshCalls).toHaveLength(calls);
    expect(session.snapshot().ended?.code).toBe('AUTH_SESSION_ENDED');
  });

  it('ends when the keychain entry was removed by a sign-out elsewhere', async () => {
    const { server, store, clock, options } = setup();
    const session = await Session.establish(options, server.issue());
    await store.delete(KEY);
    clock.advance(LIFETIME);
    await expect(session.getAccessToken()).rejects.toMatchObject({ code: 'AUTH_SESSION_ENDED' });
    expect(server.refreshCalls).toEqual([]);
  });

  it('keeps using a still-valid token when an early renewal cannot reach the server', async () => {
    const { server, clock, options } = setup();
    const first = server.issue();
    const unreachable = {
      refresh: async () => Promise.reject(new AuthError('AUTH_NETWORK', 'Could not reach the server')),
    } as unknown as OAuthClient;
    const session = await Session.establish({ ...options, client: async () => unreachable }, first);
    clock.advance(LIFETIME - 20_000);
    expect(await session.getAccessToken()).toBe(first.accessToken);
    clock.advance(30_000);
    await expect(session.getAccessToken()).rejects.toMatchObject({ code: 'AUTH_NETWORK' });
    expect(session.ended).toBe(false);
  });

  it('signs out: revokes the refresh token and deletes the entry', async () => {
    const { server, store, options } = setup();
    const first = server.issue();
    const session = await Session.establish(options, first);
    expect(await session.signOut()).toEqual({ revoked: true });
    expect(server.revoked).toEqual([first.refreshToken]);
    expect(await store.get(KEY)).toBeUndefined();
    await expect(session.getAccessToken()).rejects.toMatchObject({ code: 'AUTH_SIGNED_OUT' });
  });

  it('keeps the session in memory only, and says so, when the keychain is unavailable', async () => {
    const locked: SecretStore = {
      kind: 'keychain',
      get: async () => Promise.reject(new AuthError('AUTH_KEYCHAIN_UNAVAILABLE', 'The system keychain is unavailable')),
      set: async () => Promise.reject(new AuthError('AUTH_KEYCHAIN_UNAVAILABLE', 'The system keychain is unavailable')),
      delete: async () =>
        Promise.reject(new AuthError('AUTH_KEYCHAIN_UNAVAILABLE', 'The system keychain is unavailable')),
    };
    const { server, clock, options } = setup({ store: locked });
    const session = await Session.establish(options, server.issue());
    expect(session.snapshot()).toMatchObject({ persistence: 'memory', warning: expect.stringContaining('keychain') });
    clock.advance(LIFETIME);
    expect(await session.getAccessToken()).toBe('access-token-2-xxxxxxxx');
  });

  it('lets a caller stop waiting without cancelling the renewal for the others', async () => {
    const { server, clock, options } = setup();
    const session = await Session.establish(options, server.issue());
    clock.advance(LIFETIME);
    const release = server.hold();
    const controller = new AbortController();
    const impatient = session.getAccessToken(controller.signal);
    const patient = session.getAccessToken();
    await new Promise((resolve) => setTimeout(resolve, 20));
    controller.abort();
    await expect(impatient).rejects.toMatchObject({ code: 'AUTH_CANCELLED' });
    release();
    await expect(patient).resolves.toBe('access-token-2-xxxxxxxx');
  });
});
