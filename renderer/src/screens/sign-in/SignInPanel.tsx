import { useState } from 'react';
import {
  describeRoleCap,
  describeScope,
  RECOMMENDED_ROLE_CAP,
  type KeylineApi,
  type SessionState,
} from '../../../../common/contract';
import type { SignInView } from './useSignIn';

function time(iso: string): string {
  return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/** Who is signed in, or the way to sign in; the technician's first stop at the start of a shift. */
export function SignInPanel({ keyline, view }: { keyline: KeylineApi; view: SignInView }) {
  const { session, profiles, activeProfileId, run } = view;
  const [chosen, setChosen] = useState<string>();
  const profileId = chosen ?? session?.profileId ?? activeProfileId ?? profiles[0]?.id ?? '';

  if (!session) return <p>Asking the station who is signed in…</p>;

  const signIn = (method: 'browser' | 'device') => void run(() => keyline.invoke('auth.signIn', { profileId, method }));

  return (
    <section className="panel sign-in" aria-labelledby="sign-in-title">
      <h2 id="sign-in-title">Sign-in</h2>
      <div aria-live="polite">
        {session.status === 'signedIn' && <SignedIn keyline={keyline} view={view} session={session} />}
        {session.status === 'signingIn' && <SigningIn keyline={keyline} view={view} method={session.method} />}
        {session.status === 'signedOut' && (
          <>
            {session.problem && (
              <p className="notice notice-error" role="alert" data-testid="sign-in-problem">
                {session.problem.message}
              </p>
            )}
            <p>
              Sign in with your platform account. Keyline never sees your password: you sign in on the platform’s own
              page, in your browser.
            </p>
            <p className="notice notice-info" data-testid="role-cap-advice">
              On the consent page, set <strong>Maximum role</strong> to{' '}
              <strong>{describeRoleCap(RECOMMENDED_ROLE_CAP)}</strong>: that is all Keyline needs to provision devices.
            </p>
            <label className="field">
              Platform profile
              <select value={profileId} onChange={(event) => setChosen(event.target.value)}>
                {profiles.map((profile) => (
                  <option key={profile.id} value={profile.id}>
                    {profile.name} ({profile.apiUrl})
                  </option>
                ))}
              </select>
            </label>
            <div className="actions">
              <button type="button" className="primary" disabled={!profileId} onClick={() => signIn('browser')}>
                Sign in with the browser
              </button>
              <button type="button" disabled={!profileId} onClick={() => signIn('device')}>
                Sign in with a code
              </button>
            </div>
          </>
        )}
      </div>
      {view.error && (
        <p className="notice notice-error" role="alert" data-testid="sign-in-error">
          {view.error.message}
        </p>
      )}
    </section>
  );
}

function SigningIn({ keyline, view, method }: { keyline: KeylineApi; view: SignInView; method: 'browser' | 'device' }) {
  const cancel = () => void view.run(() => keyline.invoke('auth.signIn.cancel', {}));
  const code = view.deviceCode;
  return (
    <div data-testid="signing-in">
      {method === 'browser' ? (
        <>
          <p>Finish signing in in your browser, then come back here.</p>
          <p className="notice notice-info">
            On the consent page, set <strong>Maximum role</strong> to{' '}
            <strong>{describeRoleCap(RECOMMENDED_ROLE_CAP)}</strong>.
          </p>
          {view.browserUrl && (
            <p>
              No new tab?{' '}
              <a href={view.browserUrl} target="_blank" rel="noopener noreferrer">
                Open the sign-in page
              </a>
              .
            </p>
          )}
        </>
      ) : code ? (
        <>
          <p>
            On a phone or another computer, open <strong data-testid="verification-uri">{code.verificationUri}</strong>{' '}
            and enter this code:
          </p>
          <p className="user-code" data-testid="user-code">
            {code.userCode}
          </p>
          <p className="muted">The code is valid until {time(code.expiresAt)}.</p>
        </>
      ) : (
        <p>Asking the platform for a code…</p>
      )}
      <button type="button" onClick={cancel}>
        Cancel sign-in
      </button>
    </div>
  );
}

function SignedIn({
  keyline,
  view,
  session,
}: {
  keyline: KeylineApi;
  view: SignInView;
  session: SessionState & { status: 'signedIn' };
}) {
  const signOut = () => void view.run(() => keyline.invoke('auth.signOut', {}));
  const profile = view.profiles.find((candidate) => candidate.id === session.profileId);
  const broadRole = session.roleCap === 'admin' || session.roleCap === 'edit';
  return (
    <div data-testid="signed-in">
      <dl className="facts">
        <dt>Signed in as</dt>
        <dd data-testid="signed-in-as">
          {session.account.name} ({session.account.email})
        </dd>
        <dt>Platform</dt>
        <dd>{profile ? `${profile.name} (${profile.apiUrl})` : session.profileId}</dd>
        <dt>Role cap</dt>
        <dd data-testid="role-cap">
          {session.roleCap ? describeRoleCap(session.roleCap) : 'Not stated by the platform'}
        </dd>
        <dt>Access</dt>
        <dd data-testid="expires-at">
          {session.expiresAt
            ? `renews by itself; current token valid until ${time(session.expiresAt)}`
            : 'renews on first use'}
        </dd>
      </dl>
      <h3>What Keyline may do</h3>
      <ul className="scopes" data-testid="scopes">
        {session.scopes.map((scope) => (
          <li key={scope}>
            {describeScope(scope)} <code>{scope}</code>
          </li>
        ))}
      </ul>
      {broadRole && (
        <p className="notice notice-warn" role="status">
          This sign-in may act as {describeRoleCap(session.roleCap!)}. Keyline needs only{' '}
          {describeRoleCap(RECOMMENDED_ROLE_CAP)}: sign out and sign in again with a lower Maximum role.
        </p>
      )}
      {session.persistence === 'memory' && (
        <p className="notice notice-warn" role="status" data-testid="memory-only">
          {session.warning ?? 'The system keychain is unavailable: this sign-in lasts only while Keyline runs.'}
        </p>
      )}
      {session.persistence === 'keychain' && session.warning && (
        <p className="notice notice-warn" role="status">
          {session.warning}
        </p>
      )}
      <button type="button" onClick={signOut}>
        Sign out
      </button>
    </div>
  );
}
