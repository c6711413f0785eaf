import type { AppInfo, KeylineApi } from '../../../common/contract';
import { AppInfoPanel } from '../components/AppInfoPanel';
import { ProvisioningSettingsPanel } from '../components/settings/ProvisioningSettingsPanel';
import { StationPrefsPanel } from '../components/settings/StationPrefsPanel';
import '../components/settings/settings-panels.css';
import type { Loadable } from '../hooks/useAppInfo';
import { AccountPanel } from './sign-in/AccountPanel';
import { ProfilesPanel } from './sign-in/ProfilesPanel';
import { SignInPanel } from './sign-in/SignInPanel';
import { useSignIn } from './sign-in/useSignIn';
import './sign-in/sign-in.css';

export function SettingsScreen({ info, keyline }: { info: Loadable<AppInfo>; keyline: KeylineApi }) {
  const view = useSignIn(keyline);
  return (
    <div className="settings">
      <p className="lead">Sign-in, platform profiles and the application devices are provisioned into.</p>
      <SignInPanel keyline={keyline} view={view} />
      <AccountPanel keyline={keyline} view={view} />
      <ProfilesPanel keyline={keyline} view={view} />
      <ProvisioningSettingsPanel keyline={keyline} />
      <StationPrefsPanel keyline={keyline} info={info.state === 'ready' ? info.value : undefined} />
      <section className="panel" aria-label="About this station">
        <AppInfoPanel info={info} />
      </section>
    </div>
  );
}
