import type { AppInfo } from '../../../common/contract';
import { AppInfoPanel } from '../components/AppInfoPanel';
import type { Loadable } from '../hooks/useAppInfo';

export function InspectScreen({ info }: { info: Loadable<AppInfo> }) {
  return (
    <section className="panel">
      <p className="lead">Decode tokens, look up keys and devices, and diagnose why a device cannot connect.</p>
      <AppInfoPanel info={info} />
    </section>
  );
}
