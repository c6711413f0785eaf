import type { AppInfo } from '../../../common/contract';
import type { Loadable } from '../hooks/useAppInfo';

/** What the station says about itself; placeholder content until a screen has its own. */
export function AppInfoPanel({ info }: { info: Loadable<AppInfo> }) {
  if (info.state === 'loading') return <p>Asking the station…</p>;
  if (info.state === 'failed') return <p role="alert">{info.error.message}</p>;
  const { version, platform, arch, host, sandbox } = info.value;
  return (
    <dl className="facts" data-testid="app-info">
      <dt>Version</dt>
      <dd>{version}</dd>
      <dt>Platform</dt>
      <dd>
        {platform} ({arch})
      </dd>
      <dt>Host</dt>
      <dd data-testid="app-info-host">{host}</dd>
      <dt>Platform profile</dt>
      <dd>{sandbox ? 'Sandbox (embedded simulators)' : 'Real platform'}</dd>
    </dl>
  );
}
