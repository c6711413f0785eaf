import type { AppInfo } from '../../../common/contract';
import type { Loadable } from '../hooks/useAppInfo';

/** Across the top while the sandbox runs: nothing here touches a real device or platform. */
export function SandboxBanner({ info, onSettings }: { info: Loadable<AppInfo>; onSettings: () => void }) {
  if (info.state !== 'ready' || !info.value.sandbox) return null;
  return (
    <div className="sandbox-banner" role="note" data-testid="sandbox-banner">
      <strong>Sandbox</strong>
      <span>
        A simulated platform and simulated devices on this computer: nothing here touches a real device or platform.
      </span>
      <button type="button" className="btn btn-small" onClick={onSettings}>
        Switch to a real platform
      </button>
    </div>
  );
}
