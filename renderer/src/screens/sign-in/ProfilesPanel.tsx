import { useState, type FormEvent } from 'react';
import { DEFAULT_API_URL, DEFAULT_SCOPES, type KeylineApi, type Profile } from '../../../../common/contract';
import type { SignInView } from './useSignIn';

interface Draft {
  id?: string;
  name: string;
  apiUrl: string;
  clientId: string;
  scopes: string;
}

const EMPTY: Draft = { name: '', apiUrl: DEFAULT_API_URL, clientId: '', scopes: DEFAULT_SCOPES };

function draftOf(profile: Profile): Draft {
  return {
    id: profile.id,
    name: profile.name,
    apiUrl: profile.apiUrl,
    clientId: profile.clientId ?? '',
    scopes: profile.scopes,
  };
}

/** The platforms this station can sign into. Nothing secret is entered or shown here. */
export function ProfilesPanel({ keyline, view }: { keyline: KeylineApi; view: SignInView }) {
  const [draft, setDraft] = useState<Draft>();
  const { run, reloadProfiles } = view;

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (!draft) return;
    const saved = await run(() =>
      keyline.invoke('auth.profiles.save', {
        ...(draft.id ? { id: draft.id } : {}),
        name: draft.name,
        apiUrl: draft.apiUrl,
        clientId: draft.clientId,
        scopes: draft.scopes,
      }),
    );
    if (saved) {
      setDraft(undefined);
      await reloadProfiles();
    }
  };

  const remove = async (profile: Profile) => {
    if (!window.confirm(`Remove the profile "${profile.name}"? Keyline signs out of it first.`)) return;
    if (await run(() => keyline.invoke('auth.profiles.remove', { id: profile.id }))) await reloadProfiles();
  };

  const field = (name: keyof Omit<Draft, 'id'>) => ({
    value: draft?.[name] ?? '',
    onChange: (event: { target: { value: string } }) => setDraft({ ...(draft ?? EMPTY), [name]: event.target.value }),
  });

  return (
    <section className="panel" aria-labelledby="profiles-title">
      <h2 id="profiles-title">Platform profiles</h2>
      <ul className="profiles" data-testid="profiles">
        {view.profiles.map((profile) => (
          <li key={profile.id}>
            <span>
              <strong>{profile.name}</strong> <span className="muted">{profile.apiUrl}</span>
              {profile.id === view.activeProfileId && <span className="badge">active</span>}
              {profile.builtIn && <span className="badge badge-sandbox">sandbox</span>}
            </span>
            <span className="actions">
              <button type="button" onClick={() => setDraft(draftOf(profile))}>
                Edit {profile.name}
              </button>
              {!profile.builtIn && (
                <button type="button" onClick={() => void remove(profile)}>
                  Remove {profile.name}
                </button>
              )}
            </span>
          </li>
        ))}
      </ul>
      {!draft ? (
        <button type="button" onClick={() => setDraft(EMPTY)}>
          Add a profile
        </button>
      ) : (
        <form className="profile-form" onSubmit={(event) => void save(event)} aria-label="Profile">
          <label className="field">
            Name
            <input required maxLength={100} {...field('name')} />
          </label>
          <label className="field">
            API URL
            <input
              required
              type="url"
              {...field('apiUrl')}
              disabled={view.profiles.some((p) => p.id === draft.id && p.builtIn)}
            />
          </label>
          <label className="field">
            OAuth client id
            <input {...field('clientId')} aria-describedby="client-id-help" />
          </label>
          <p id="client-id-help" className="muted">
            Leave empty to let Keyline register itself with the platform.
          </p>
          <label className="field">
            Scopes
            <input {...field('scopes')} aria-describedby="scopes-help" />
          </label>
          <p id="scopes-help" className="muted">
            The default asks for the least Keyline needs: {DEFAULT_SCOPES}.
          </p>
          <div className="actions">
            <button type="submit" className="primary">
              Save profile
            </button>
            <button type="button" onClick={() => setDraft(undefined)}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
