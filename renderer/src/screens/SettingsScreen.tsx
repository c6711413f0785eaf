import type { AppInfo } from '../../../common/contract';
import { AppInfoPanel } from '../components/AppInfoPanel';
import type { Loadable } from '../hooks/useAppInfo';

export function SettingsScreen({ info }: { info: Loadable<AppInfo> }) {
  return (
    <section className="panel">
      <p className="lead">Platform profiles, application, verification mode and ports.</p>
      <AppInfoPanel info={info} />
    </section>
  );
}
