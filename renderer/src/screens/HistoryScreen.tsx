import type { AppInfo } from '../../../common/contract';
import { AppInfoPanel } from '../components/AppInfoPanel';
import type { Loadable } from '../hooks/useAppInfo';

export function HistoryScreen({ info }: { info: Loadable<AppInfo> }) {
  return (
    <section className="panel">
      <p className="lead">Every provisioning attempt, from the journal.</p>
      <AppInfoPanel info={info} />
    </section>
  );
}
