import type { Account, RoleCap } from '../../common/contract/auth';
import { AuthError, isAuthError } from './auth-error';
import { systemClock, type Clock } from './clock';
import { withFileLock, type FileLockOptions } from './file-lock';
import type { OAuthClient } from './oauth-client';
import type { TokenSet } from './token-set';
import { keychainAccount, MemorySecretStore, type SecretStore } from './secret-store';

/** What the rest of main needs to call the platform as the technician. */
export interface AccessTokenProvider {
  /** A bearer token valid for a while yet; renews it first when it is close to expiry (one renewal at a time). */
  getAccessToken(signal?: AbortSignal): Promise<string>;
  /**
   * Call once after the platform answered 401 to `rejectedToken`. Returns a renewed token to retry
   * with (or the already renewed one, if another lane got there first). A second 401 with the
   * returned token is a real refusal: do not call this again for that request.
   */
  refreshAfter401(rejectedToken: string, signal?: AbortSignal): Promise<string>;
}

export interface SessionSnapshot {
  profileId: string;
  account: Account;
  expiresAt: number | null;
  scopes: string[];
  roleCap: RoleCap | null;
  persistence: 'keychain' | 'memory';
  warning: string | null;
  /** Set once the session is over (refresh token refused, removed elsewhere); it never comes back. */
  ended: AuthError | null;
}

export interface SessionOptions {
  profileId: string;
  account: Account;
  scopes: string;
  /** The OAuth client for the profile's server; resolved lazily (discovery may need the network). */
  client: () => Promise<OAuthClient>;
  store: SecretStore;
  /** The cross-process lock around every use of the refresh token. */
  lockFile: string;
  lockOptions?: FileLockOptions;
  clock?: Clock;
  /** Registers a token with the station's redactor; returns the release. */
  protect: (secret: string) => () => void;
  /** Called after every change of what `snapshot()` returns. */
  onChange?: () => void;
}

interface AccessToken {
  token: string;
  issuedAt: number;
  expiresAt: number;
}

/** Renew this long before expiry (at most a quarter of the token's life, for very short tokens). */
const RENEW_MARGIN_MS = 60_000;
/** Redactor registrations kept for tokens already replaced: a late log line may still carry one. */
const PROTECTED_HISTORY = 8;

/**
 * One technician's session on one profile. The access token lives in this object only; the
 * refresh token lives in the secret store (the OS keychain) and is read, spent and replaced under
 * a lock file, so that the app and the CLI never spend the same rotating refresh token. Renewals
 * are single-flight: concurrent lanes wait for one refresh. A refused refresh token ends the
 * session for good: every later call fails at once, with no request, until a new sign-in.
 */
export class Session implements AccessTokenProvider {
  readonly profileId: string;
  readonly account: Account;
  readonly #options: SessionOptions;
  readonly #clock: Clock;
  readonly #keychainAccount: string;
  #store: SecretStore;
  #access: AccessToken | undefined;
  #scopes: string[];
  #roleCap: RoleCap | null = null;
  #warning: string | null = null;
  #ended: AuthError | null = null;
  #renewal: Promise<AccessToken> | undefined;
  readonly #protected: Array<() => void> = [];

  private constructor(options: SessionOptions) {
    this.#options = options;
    this.profileId = options.profileId;
    this.account = options.account;
    this.#clock = options.clock ?? systemClock;
    this.#store = options.store;
    this.#scopes = options.scopes.split(/\s+/).filter(Boolean);
    this.#keychainAccount = keychainAccount(options.profileId, options.account.userId);
  }

  /**
   * A session from a fresh sign-in: the refresh token is saved (keychain, or memory with a
   * warning when the keychain is unavailable) before the session is handed out.
   */
  static async establish(options: SessionOptions, tokens: TokenSet): Promise<Session> {
    const session = new Session(options);
    session.#protect(tokens.accessToken);
    if (tokens.refreshToken) {
      session.#protect(tokens.refreshToken);
      await session.#saveRefreshToken(tokens.refreshToken);
    } else {
      session.#warning = 'The platform gave no refresh token: sign in again when this access token expires.';
    }
    session.#accept(tokens);
    return session;
  }

  /** A session found in the keychain at launch; it has no access token until the first renewal. */
  static resume(options: SessionOptions): Session {
    return new Session(options);
  }

  snapshot(): SessionSnapshot {
    return {
      profileId: this.profileId,
      account: this.account,
      expiresAt: this.#access?.expiresAt ?? null,
      scopes: [...this.#scopes],
      roleCap: this.#roleCap,
      persistence: this.#store.kind,
      warning: this.#warning,
      ended: this.#ended,
    };
  }

  get ended(): boolean {
    return this.#ended !== null;
  }

  async getAccessToken(signal?: AbortSignal): Promise<string> {
    if (this.#ended) throw this.#ended;
    const access = this.#access;
    if (access && !this.#needsRenewal(access)) return access.token;
    try {
      return (await this.#renew(signal)).token;
    } catch (error) {
      // Renewing early failed (platform unreachable): the current token still works until it expires.
      if (access && isAuthError(error, 'AUTH_NETWORK') && this.#clock.now() < access.expiresAt && !this.#ended) {
        return access.token;
      }
      throw error;
    }
  }

  async refreshAfter401(rejectedToken: string, signal?: AbortSignal): Promise<string> {
    if (this.#ended) throw this.#ended;
    const access = this.#access;
    // Another lane already renewed after the same 401: use its token.
    if (access && access.token !== rejectedToken && !this.#needsRenewal(access)) return access.token;
    if (this.#renewal) return (await this.#wait(this.#renewal, signal)).token;
    this.#access = undefined;
    return (await this.#renew(signal)).token;
  }

  /** Renews now (used at launch to check a resumed session). */
  async renew(signal?: AbortSignal): Promise<void> {
    if (this.#ended) throw this.#ended;
    await this.#renew(signal);
  }

  /**
   * Revokes the refresh token (RFC 7009) and deletes it from the store. Revocation is best effort
   * (the platform may be unreachable): the keychain entry is deleted either way.
   */
  async signOut(signal?: AbortSignal): Promise<{ revoked: boolean }> {
    let revoked = false;
    await withFileLock(
      this.#options.lockFile,
      async () => {
        const refreshToken = await this.#store.get(this.#keychainAccount).catch(() => undefined);
        if (refreshToken) {
          try {
            revoked = await (await this.#options.client()).revoke(refreshToken, signal);
          } catch {
            revoked = false;
          }
        }
        await this.#store.delete(this.#keychainAccount).catch(() => false);
      },
      { ...this.#options.lockOptions, signal },
    );
    this.#end(null);
    return { revoked };
  }

  /** Lets go of everything in memory without touching the keychain (switching profile, closing). */
  dispose(): void {
    this.#access = undefined;
    for (const release of this.#protected.splice(0)) release();
  }

  #needsRenewal(access: AccessToken): boolean {
    const margin = Math.min(RENEW_MARGIN_MS, (access.expiresAt - access.issuedAt) / 4);
    return this.#clock.now() >= access.expiresAt - margin;
  }

  /** Single-flight: every caller waits for the same renewal; a caller's abort stops only its wait. */
  #renew(signal?: AbortSignal): Promise<AccessToken> {
    this.#renewal ??= this.#renewUnderLock().finally(() => {
      this.#renewal = undefined;
    });
    return this.#wait(this.#renewal, signal);
  }

  #wait<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
    if (!signal) return promise;
    if (signal.aborted)
      return Promise.reject(new AuthError('AUTH_CANCELLED', 'Stopped waiting for the sign-in renewal'));
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(new AuthError('AUTH_CANCELLED', 'Stopped waiting for the sign-in renewal'));
      signal.addEventListener('abort', onAbort, { once: true });
      promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  async #renewUnderLock(): Promise<AccessToken> {
    const client = await this.#options.client();
    return withFileLock(
      this.#options.lockFile,
      async () => {
        if (this.#ended) throw this.#ended;
        // Read under the lock: another process (the CLI) may have rotated the token since we last looked.
        const refreshToken = await this.#store.get(this.#keychainAccount);
        if (!refreshToken) {
          throw this.#end(
            new AuthError(
              'AUTH_SESSION_ENDED',
              'The saved sign-in is gone from the keychain (signed out in another Keyline?); sign in again',
            ),
          );
        }
        this.#protect(refreshToken);
        let tokens: TokenSet;
        try {
          tokens = await client.refresh(refreshToken, this.#options.scopes);
        } catch (error) {
          if (isAuthError(error, 'AUTH_SESSION_ENDED')) {
            // Spent, revoked or reused: forget it so that no one tries it again.
            const current = await this.#store.get(this.#keychainAccount).catch(() => undefined);
            if (current === refreshToken) await this.#store.delete(this.#keychainAccount).catch(() => false);
            throw this.#end(error);
          }
          throw error;
        }
        this.#protect(tokens.accessToken);
        if (tokens.refreshToken && tokens.refreshToken !== refreshToken) {
          this.#protect(tokens.refreshToken);
          // Rotation: the new refresh token is saved before the new access token is used.
          await this.#saveRefreshToken(tokens.refreshToken);
        }
        return this.#accept(tokens);
      },
      this.#options.lockOptions,
    );
  }

  async #saveRefreshToken(refreshToken: string): Promise<void> {
    try {
      await this.#store.set(this.#keychainAccount, refreshToken);
    } catch (error) {
      if (!isAuthError(error, 'AUTH_KEYCHAIN_UNAVAILABLE') || this.#store.kind === 'memory') throw error;
      // Never a file: keep the session in this process only, and say so.
      const memory = new MemorySecretStore();
      await memory.set(this.#keychainAccount, refreshToken);
      this.#store = memory;
      this.#warning = `${error.message}`;
    }
  }

  #accept(tokens: TokenSet): AccessToken {
    const access = { token: tokens.accessToken, issuedAt: this.#clock.now(), expiresAt: tokens.expiresAt };
    this.#access = access;
    this.#scopes = tokens.scopes;
    this.#roleCap = tokens.roleCap ?? this.#roleCap;
    this.#options.onChange?.();
    return access;
  }

  #end(reason: AuthError | null): AuthError {
    const error = reason ?? new AuthError('AUTH_SIGNED_OUT', 'Signed out; sign in again to reach the platform');
    this.#ended = error;
    // The tokens stay registered with the redactor until dispose(): a late log line may still carry one.
    this.#access = undefined;
    this.#options.onChange?.();
    return error;
  }

  #protect(secret: string): void {
    this.#protected.push(this.#options.protect(secret));
    while (this.#protected.length > PROTECTED_HISTORY * 2) this.#protected.shift()?.();
  }
}
