import type { StationStore, StationView } from './station-store';

/** Before the first batch: who must sign in, with one button (the sandbox offers the demo technician). */
export function SignInPrompt({
  store,
  view,
  onSettings,
}: {
  store: StationStore;
  view: StationView;
  onSettings: () => void;
}) {
  const session = view.session;
  if (!session || session.status === 'signedIn') return null;
  const sandbox = session.profileId === 'sandbox';
  return (
    <section className="panel sign-in-prompt" aria-labelledby="sign-in-prompt-title" data-testid="sign-in-prompt">
      <h2 id="sign-in-prompt-title">
        {session.status === 'signingIn' ? 'Finish signing in in your browser' : 'Sign in to start'}
      </h2>
      {session.status === 'signedOut' && (
        <>
          {session.problem && <p className="notice notice-error">{session.problem.message}</p>}
          <p>
            {sandbox
              ? 'The sandbox has its own platform: sign in on its page as the demo technician, then press Start all.'
              : 'Lanes get their credentials from the platform with your account: sign in first.'}
          </p>
          <div className="toolbar">
            <button
              type="button"
              className="btn btn-primary btn-big"
              disabled={view.busy}
              onClick={() => void store.signIn()}
            >
              {sandbox ? 'Sign in to the sandbox' : 'Sign in'}
            </button>
            <button type="button" className="btn" onClick={onSettings}>
              Profiles and sign-in options
            </button>
          </div>
        </>
      )}
    </section>
  );
}
