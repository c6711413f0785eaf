import { useCallback, useEffect, useState } from 'react';
import type { AccountSummary, KeylineApi } from '../../../../common/contract';
import type { SignInView } from './useSignIn';

/** What the token reaches, and the application the station provisions into. */
export function AccountPanel({ keyline, view }: { keyline: KeylineApi; view: SignInView }) {
  // Kept with the user it belongs to, so another sign-in never shows the previous user's list.
  const [loaded, setLoaded] = useState<{ userId: string; summary: AccountSummary }>();
  const [refreshing, setRefreshing] = useState(false);
  // The radio shows the technician's pick at once, while the station records it.
  const [choosing, setChoosing] = useState<string>();
  const { run } = view;
  const signedInAs = view.session?.status === 'signedIn' ? view.session.account.userId : undefined;

  useEffect(() => {
    if (!signedInAs) return;
    let live = true;
    void keyline.invoke('auth.account.get', {}).then((result) => {
      if (live && result.ok) setLoaded({ userId: signedInAs, summary: result.value });
    });
    return () => {
      live = false;
    };
  }, [keyline, signedInAs]);

  const refresh = useCallback(async () => {
    if (!signedInAs) return;
    setRefreshing(true);
    const value = await run(() => keyline.invoke('auth.account.get', {}));
    setRefreshing(false);
    if (value) setLoaded({ userId: signedInAs, summary: value });
  }, [keyline, run, signedInAs]);

  if (!signedInAs) return null;
  const summary = loaded?.userId === signedInAs ? loaded.summary : undefined;

  const select = async (applicationId: string) => {
    setChoosing(applicationId);
    const selected = await run(() => keyline.invoke('auth.selectApplication', { applicationId }));
    setChoosing(undefined);
    if (selected && summary) setLoaded({ userId: signedInAs, summary: { ...summary, selectedApplication: selected } });
  };

  return (
    <section className="panel" aria-labelledby="account-title">
      <h2 id="account-title">Organizations and applications</h2>
      {!summary ? (
        <p>Asking the platform what this sign-in reaches…</p>
      ) : (
        <>
          <h3>Organizations</h3>
          {summary.organizations.length === 0 ? (
            <p>This sign-in reaches no organization.</p>
          ) : (
            <ul data-testid="organizations">
              {summary.organizations.map((organization) => (
                <li key={organization.id}>
                  {organization.name}
                  {organization.role && <span className="muted"> · your role: {organization.role}</span>}
                </li>
              ))}
            </ul>
          )}
          <fieldset className="applications">
            <legend>Application to provision into</legend>
            {summary.applications.length === 0 && <p>This sign-in reaches no application.</p>}
            {summary.applications.map((application) => (
              <label key={application.id} className="choice">
                <input
                  type="radio"
                  name="application"
                  value={application.id}
                  checked={(choosing ?? summary.selectedApplication?.id) === application.id}
                  onChange={() => void select(application.id)}
                />
                {application.name}
                <span className="muted"> {application.organizationName ?? 'your own'}</span>
              </label>
            ))}
          </fieldset>
          <p aria-live="polite" data-testid="selected-application">
            {summary.selectedApplication
              ? `New devices go into ${summary.selectedApplication.name}.`
              : 'Pick the application new devices go into.'}
          </p>
        </>
      )}
      <button type="button" onClick={() => void refresh()} disabled={refreshing}>
        Refresh
      </button>
    </section>
  );
}
