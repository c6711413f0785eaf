import type { AppInfo } from '../../../common/contract';
import { AppInfoPanel } from '../components/AppInfoPanel';
import type { Loadable } from '../hooks/useAppInfo';

export function StationScreen({ info }: { info: Loadable<AppInfo> }) {
  return (
    <section className="panel">
      <p className="lead">Lanes appear here, one per device on a watched port.</p>
      <AppInfoPanel info={info} />
    </section>
  );
}
