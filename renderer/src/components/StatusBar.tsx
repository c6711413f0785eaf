import type { AppInfo, KeylineApi } from '../../../common/contract';
import type { Loadable } from '../hooks/useAppInfo';
import { useLatestNotice } from '../hooks/useNotices';
import { useBenchMode } from '../hooks/useBenchMode';
import { useTheme, type ThemeChoice } from '../hooks/useTheme';

export function StatusBar({ keyline, info }: { keyline: KeylineApi; info: Loadable<AppInfo> }) {
  const notice = useLatestNotice(keyline);
  const [theme, setTheme] = useTheme();
  const [bench, setBench] = useBenchMode();
  return (
    <footer className="status-bar">
      <span data-testid="status-host">
        {info.state === 'ready'
          ? `Keyline ${info.value.version} · ${info.value.host} host · ${info.value.platform}`
          : info.state === 'failed'
            ? `Not connected to the station: ${info.error.message}`
            : 'Connecting to the station…'}
      </span>
      {info.state === 'ready' && info.value.sandbox && <span className="badge badge-sandbox">Sandbox</span>}
      <span className="status-notice" role="status" aria-live="polite">
        {notice?.message ?? ''}
      </span>
      <label className="theme-picker">
        <input type="checkbox" checked={bench} onChange={(event) => setBench(event.target.checked)} />
        Bench mode (large)
      </label>
      <label className="theme-picker">
        Theme
        <select value={theme} onChange={(event) => setTheme(event.target.value as ThemeChoice)}>
          <option value="system">System</option>
          <option value="light">Light</option>
          <option value="dark">Dark</option>
        </select>
      </label>
    </footer>
  );
}
