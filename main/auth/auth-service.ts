import path from 'node:path';
import type {
  AccountSummary,
  DeviceCodePrompt,
  Profile,
  ProfileDraft,
  SelectedApplication,
  SessionState,
  SignInMethod,
} from '../../common/contract/auth';
import { KeylineError } from '../../common/errors';
import type { SecretRedactor } from '../security/secret-redactor';
import { createAccountDirectory, type AccountDirectory } from './account-directory';
import { accountOf, loadAccountSummary } from './account-summary';
import { AuthError, isAuthError } from './auth-error';
import { systemClock, type Clock } from './clock';
import type { FetchLike } from './discovery';
import type { FileLockOptions } from './file-lock';
import { ClientResolver } from './client-resolver';
import type { TokenSet } from './token-set';
import { ProfileStore, type BuiltInProfile } from './profile-store';
import { keychainAccount, KeytarSecretStore, type SecretStore } from './secret-store';
import { Session, type AccessTokenProvider, type SessionOptions } from './session';
import { signInWithBrowser, signInWithDevice, type OpenExternal } from './sign-in-flows';

export interface AuthServiceOptions {
  dataDir: string;
  redactor: SecretRedactor;
  openExternal: OpenExternal;
  /** Where session changes and device-code prompts go (the contract's event hub). */
  emit: {
    sessionChanged(state: SessionState): void;
    deviceCode(prompt: DeviceCodePrompt): void;
  };
  /** The OS keychain by default. */
  secretStore?: SecretStore;
  fetch?: FetchLike;
  clock?: Clock;
  lockOptions?: FileLockOptions;
  /** The embedded simulator's profile, known only at launch. */
  sandbox?: BuiltInProfile;
  /** How long the technician has to finish in the browser (default 5 minutes). */
  browserTimeoutMs?: number;
  /** Replaces the built-in `GET /me, /orgs, /applications` client (for the shared platform client). */
  accountDirectory?: (apiUrl: string, tokens: AccessTokenProvider) => AccountDirectory;
  onError?: (error: unknown, context: string) => void;
}

interface SignInAttempt {
  profileId: string;
  method: SignInMethod;
  controller: AbortController;
}

/**
 * Technician sign-in for the station: profiles, the one active session, and the access token
 * provider the rest of main calls the platform with. The window only ever gets `SessionState`.
 */
export class AuthService implements AccessTokenProvider {
  readonly profiles: ProfileStore;
  readonly #options: AuthServiceOptions;
  readonly #store: SecretStore;
  readonly #clock: Clock;
  readonly #clients: ClientResolver;
  #session: Session | undefined;
  #signIn: SignInAttempt | undefined;
  #signedOut: SessionState & { status: 'signedOut' } = { status: 'signedOut', profileId: null, problem: null };
  #warmUp: Promise<void> | undefined;

  constructor(options: AuthServiceOptions) {
    this.#options = options;
    this.profiles = new ProfileStore(options.dataDir);
    this.#store = options.secretStore ?? new KeytarSecretStore();
    this.#clock = options.clock ?? systemClock;
    this.#clients = new ClientResolver({
      fetch: options.fetch,
      clock: this.#clock,
      remember: (profileId, clientId) =>
        this.profiles.update(profileId, { registeredClientId: clientId }).then(() => undefined),
    });
  }

  /** Installs the sandbox profile and resumes the last session from the keychain (renewed in the background). */
  async start(): Promise<void> {
    try {
      await this.#resume();
    } catch (error) {
      // A damaged profiles file must not stop the station: the Settings screen shows the problem.
      this.#signedOut = { status: 'signedOut', profileId: null, problem: problemOf(error) };
      this.#options.onError?.(error, 'loading the platform profiles');
    }
  }

  async #resume(): Promise<void> {
    if (this.#options.sandbox) {
      const { replaced } = await this.profiles.installBuiltIn(this.#options.sandbox);
      // A new simulator instance: the old sandbox sign-in means nothing there.
      if (replaced?.account)
        await this.#store.delete(keychainAccount(replaced.id, replaced.account.userId)).catch(() => false);
    }
    const { activeProfileId, profiles } = await this.profiles.list();
    const profile = profiles.find((candidate) => candidate.id === activeProfileId);
    this.#signedOut = { status: 'signedOut', profileId: profile?.id ?? null, problem: null };
    if (!profile?.account) return;
    let saved: string | undefined;
    try {
      saved = await this.#store.get(keychainAccount(profile.id, profile.account.userId));
    } catch (error) {
      this.#signedOut = { status: 'signedOut', profileId: profile.id, problem: problemOf(error) };
      return;
    }
    if (!saved) return;
    this.#session = Session.resume(this.#sessionOptions(profile, profile.account));
    this.#warmUp = this.#session.renew().then(
      () => this.#changed(),
      (error: unknown) => {
        if (!isAuthError(error, 'AUTH_SESSION_ENDED')) this.#options.onError?.(error, 'renewing the saved sign-in');
        this.#changed();
      },
    );
  }

  /** Resolves when the launch-time renewal is done (tests and the CLI wait for it). */
  async ready(): Promise<void> {
    await this.#warmUp;
  }

  state(): SessionState {
    if (this.#signIn) return { status: 'signingIn', profileId: this.#signIn.profileId, method: this.#signIn.method };
    const snapshot = this.#session?.snapshot();
    if (!snapshot) return this.#signedOut;
    if (snapshot.ended) {
      return {
        status: 'signedOut',
        profileId: snapshot.profileId,
        problem: snapshot.ended.code === 'AUTH_SIGNED_OUT' ? null : problemOf(snapshot.ended),
      };
    }
    return {
      status: 'signedIn',
      profileId: snapshot.profileId,
      account: snapshot.account,
      expiresAt: snapshot.expiresAt === null ? null : new Date(snapshot.expiresAt).toISOString(),
      scopes: snapshot.scopes,
      roleCap: snapshot.roleCap,
      persistence: snapshot.persistence,
      warning: snapshot.warning,
    };
  }

  async saveProfile(draft: ProfileDraft): Promise<Profile> {
    const before = draft.id ? await this.profiles.get(draft.id) : undefined;
    const profile = await this.profiles.save(draft);
    if (before && before.apiUrl !== profile.apiUrl) {
      this.#clients.forget(before.apiUrl);
      if (this.#session?.profileId === profile.id) await this.signOut();
    }
    return profile;
  }

  async removeProfile(id: string): Promise<boolean> {
    const profile = await this.profiles.get(id).catch(() => undefined);
    if (!profile) return false;
    if (profile.builtIn) throw new AuthError('AUTH_PROFILE_BUILT_IN', 'The sandbox profile cannot be removed');
    if (this.#session?.profileId === id) await this.signOut();
    else if (profile.account) await this.#store.delete(keychainAccount(id, profile.account.userId)).catch(() => false);
    return this.profiles.remove(id);
  }

  async signIn(profileId: string, method: SignInMethod, signal?: AbortSignal): Promise<SessionState> {
    if (this.#signIn) throw new AuthError('AUTH_BUSY', 'A sign-in is already waiting; finish or cancel it first');
    const controller = new AbortController();
    const onAbort = () => controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    this.#signIn = { profileId, method, controller };
    this.#changed();
    try {
      const profile = await this.profiles.get(profileId);
      const client = await this.#clients.clientFor(profile, controller.signal);
      const protect = (secret: string) => this.#options.redactor.add(secret);
      const finish = (tokens: TokenSet) => this.#finishSignIn(profile, tokens, controller.signal);
      if (method === 'browser') {
        await signInWithBrowser({
          client,
          scopes: profile.scopes,
          openExternal: this.#options.openExternal,
          signal: controller.signal,
          timeoutMs: this.#options.browserTimeoutMs,
          protect,
          finish,
        });
      } else {
        const tokens = await signInWithDevice({
          client,
          scopes: profile.scopes,
          signal: controller.signal,
          protect,
          prompt: (device) =>
            this.#options.emit.deviceCode({
              profileId,
              userCode: device.userCode,
              verificationUri: device.verificationUri,
              verificationUriComplete: device.verificationUriComplete,
              expiresAt: new Date(device.expiresAt).toISOString(),
            }),
        });
        await finish(tokens);
      }
    } catch (error) {
      if (!this.#session || this.#session.ended) {
        const cancelled = isAuthError(error, 'AUTH_CANCELLED');
        this.#signedOut = { status: 'signedOut', profileId, problem: cancelled ? null : problemOf(error) };
      }
      if (error instanceof KeylineError) throw error;
      this.#options.onError?.(error, 'signing in');
      throw new AuthError('AUTH_SERVER_ERROR', 'The sign-in failed unexpectedly; see the station log');
    } finally {
      signal?.removeEventListener('abort', onAbort);
      this.#signIn = undefined;
      this.#changed();
    }
    return this.state();
  }

  cancelSignIn(): boolean {
    if (!this.#signIn) return false;
    this.#signIn.controller.abort();
    return true;
  }

  async signOut(signal?: AbortSignal): Promise<SessionState> {
    const session = this.#session;
    if (session && !session.ended) {
      await session.signOut(signal);
      session.dispose();
    }
    this.#session = undefined;
    this.#signedOut = {
      status: 'signedOut',
      profileId: session?.profileId ?? this.#signedOut.profileId,
      problem: null,
    };
    this.#changed();
    return this.state();
  }

  async accountSummary(signal?: AbortSignal): Promise<AccountSummary> {
    const session = this.#activeSession();
    const profile = await this.profiles.get(session.profileId);
    return loadAccountSummary(this.#directory(profile.apiUrl, this), profile.selectedApplication, signal);
  }

  async selectApplication(applicationId: string, signal?: AbortSignal): Promise<SelectedApplication> {
    const summary = await this.accountSummary(signal);
    const application = summary.applications.find((candidate) => candidate.id === applicationId);
    if (!application) {
      throw new AuthError(
        'AUTH_FORBIDDEN',
        'That application is not reachable with this sign-in; pick one from the list',
      );
    }
    const selected = { id: application.id, name: application.name };
    await this.profiles.update(this.#activeSession().profileId, { selectedApplication: selected });
    return selected;
  }

  /** The platform the active session talks to, and the application chosen there (for the pipeline). */
  async target(): Promise<{ apiUrl: string; application: SelectedApplication | null }> {
    const profile = await this.profiles.get(this.#activeSession().profileId);
    return { apiUrl: profile.apiUrl, application: profile.selectedApplication };
  }

  async getAccessToken(signal?: AbortSignal): Promise<string> {
    return this.#activeSession().getAccessToken(signal);
  }

  async refreshAfter401(rejectedToken: string, signal?: AbortSignal): Promise<string> {
    return this.#activeSession().refreshAfter401(rejectedToken, signal);
  }

  /**
   * The shape the platform client's `TokenSource` asks for: a renewed token to retry with, or
   * undefined when the session is over (the window has already been told to sign in again).
   */
  async refreshAfterUnauthorized(rejectedToken: string, signal?: AbortSignal): Promise<string | undefined> {
    try {
      return await this.refreshAfter401(rejectedToken, signal);
    } catch (error) {
      if (isAuthError(error, 'AUTH_SESSION_ENDED') || isAuthError(error, 'AUTH_SIGNED_OUT')) return undefined;
      throw error;
    }
  }

  async close(): Promise<void> {
    this.cancelSignIn();
    await this.#warmUp?.catch(() => undefined);
    this.#session?.dispose();
    this.#session = undefined;
  }

  #activeSession(): Session {
    const session = this.#session;
    if (!session) throw new AuthError('AUTH_SIGNED_OUT', 'No one is signed in; sign in on the Settings screen');
    if (session.ended) throw session.snapshot().ended!;
    return session;
  }

  async #finishSignIn(profile: Profile, tokens: TokenSet, signal: AbortSignal): Promise<void> {
    const once: AccessTokenProvider = {
      getAccessToken: async () => tokens.accessToken,
      refreshAfter401: async () => {
        throw new AuthError('AUTH_FORBIDDEN', 'The platform refused the new sign-in; check the scopes and role');
      },
    };
    let session: Session | undefined;
    try {
      const account = accountOf(await this.#directory(profile.apiUrl, once).me(signal));
      const previous = this.#session;
      if (previous && previous.profileId === profile.id && !previous.ended) {
        // Signing in again on the same profile replaces that sign-in: revoke the old one.
        await previous.signOut(signal).catch(() => undefined);
      }
      previous?.dispose();
      this.#session = undefined;
      session = await Session.establish(this.#sessionOptions(profile, account), tokens);
      await this.profiles.update(profile.id, { account });
      await this.profiles.setActive(profile.id);
      this.#session = session;
    } catch (error) {
      // No half sign-in: give the token back and leave nothing in the keychain.
      const client = await this.#clients.clientFor(profile, AbortSignal.timeout(10_000)).catch(() => undefined);
      if (tokens.refreshToken) await client?.revoke(tokens.refreshToken).catch(() => false);
      if (session) await session.signOut().catch(() => undefined);
      throw error;
    }
  }

  #sessionOptions(profile: Profile, account: SessionOptions['account']): SessionOptions {
    return {
      profileId: profile.id,
      account,
      scopes: profile.scopes,
      // Re-read: the client id may have been registered after this session began.
      client: async () => this.#clients.clientFor(await this.profiles.get(profile.id)),
      store: this.#store,
      lockFile: path.join(this.#options.dataDir, 'locks', `sign-in-${profile.id}.lock`),
      lockOptions: this.#options.lockOptions,
      clock: this.#clock,
      protect: (secret) => this.#options.redactor.add(secret),
      onChange: () => this.#changed(),
    };
  }

  #directory(apiUrl: string, tokens: AccessTokenProvider): AccountDirectory {
    return (
      this.#options.accountDirectory?.(apiUrl, tokens) ??
      createAccountDirectory({ apiUrl, tokens, fetch: this.#options.fetch })
    );
  }

  #changed(): void {
    try {
      this.#options.emit.sessionChanged(this.state());
    } catch (error) {
      // A window that cannot be told must not break a sign-in or a renewal.
      this.#options.onError?.(error, 'announcing the session state');
    }
  }
}

function problemOf(error: unknown): { code: string; message: string } {
  return error instanceof KeylineError
    ? { code: error.code, message: error.message }
    : { code: 'AUTH_SERVER_ERROR', message: 'The sign-in failed unexpectedly' };
}
