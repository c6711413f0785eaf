import { useCallback, useEffect, useState } from 'react';
import type { DeviceCodePrompt, KeylineApi, Profile, SessionState } from '../../../../common/contract';
import type { ErrorInfo } from '../../../../common/errors';

export interface SignInView {
  session: SessionState | undefined;
  profiles: Profile[];
  activeProfileId: string | null;
  /** The device code to show while a device sign-in waits. */
  deviceCode: DeviceCodePrompt | undefined;
  /** The authorization address the station asked this window to open (web host), for a manual retry. */
  browserUrl: string | undefined;
  /** The last failed action of this window, in plain words. */
  error: ErrorInfo | undefined;
  reloadProfiles(): Promise<void>;
  run<T>(action: () => Promise<{ ok: true; value: T } | { ok: false; error: ErrorInfo }>): Promise<T | undefined>;
}

/** Only http(s) addresses are opened, whatever the station says. */
function isWebAddress(url: string): boolean {
  try {
    const protocol = new URL(url).protocol;
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}

/**
 * Sign-in state for the Settings screen: the session (from `auth.session.get` and its change
 * event), the profiles, and the prompts main sends while a sign-in waits. No token ever arrives here.
 */
export function useSignIn(keyline: KeylineApi): SignInView {
  const [session, setSession] = useState<SessionState>();
  const [profiles, setProfiles] = useState<Profile[]>([]);
  const [activeProfileId, setActiveProfileId] = useState<string | null>(null);
  const [deviceCode, setDeviceCode] = useState<DeviceCodePrompt>();
  const [browserUrl, setBrowserUrl] = useState<string>();
  const [error, setError] = useState<ErrorInfo>();

  const reloadProfiles = useCallback(
    () =>
      keyline.invoke('auth.profiles.list', {}).then((result) => {
        if (result.ok) {
          setProfiles(result.value.profiles);
          setActiveProfileId(result.value.activeProfileId);
        } else {
          setError(result.error);
        }
      }),
    [keyline],
  );

  useEffect(() => {
    let live = true;
    void keyline.invoke('auth.session.get', {}).then((result) => {
      if (!live) return;
      if (result.ok) setSession(result.value);
      else setError(result.error);
    });
    void keyline.invoke('auth.profiles.list', {}).then((result) => {
      if (!live) return;
      if (result.ok) {
        setProfiles(result.value.profiles);
        setActiveProfileId(result.value.activeProfileId);
      } else {
        setError(result.error);
      }
    });
    const offSession = keyline.on('auth.session.changed', (next) => {
      setSession(next);
      if (next.status !== 'signingIn') {
        setDeviceCode(undefined);
        setBrowserUrl(undefined);
      }
      if (next.status === 'signedIn') void reloadProfiles();
    });
    const offDevice = keyline.on('auth.deviceCode', setDeviceCode);
    const offBrowser = keyline.on('auth.openBrowser', ({ url }) => {
      if (!isWebAddress(url)) return;
      setBrowserUrl(url);
      // The web host has no system browser of its own: a new tab is the technician's browser.
      window.open(url, '_blank', 'noopener,noreferrer');
    });
    return () => {
      live = false;
      offSession();
      offDevice();
      offBrowser();
    };
  }, [keyline, reloadProfiles]);

  const run = useCallback(
    async <T>(action: () => Promise<{ ok: true; value: T } | { ok: false; error: ErrorInfo }>) => {
      setError(undefined);
      const result = await action();
      if (result.ok) return result.value;
      if (result.error.code !== 'AUTH_CANCELLED') setError(result.error);
      return undefined;
    },
    [],
  );

  return { session, profiles, activeProfileId, deviceCode, browserUrl, error, reloadProfiles, run };
}
