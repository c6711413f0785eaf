import { useState } from 'react';
import type { KeylineApi } from '../../common/contract';
import { Navigation, SCREENS, type ScreenId } from './components/Navigation';
import { SandboxBanner } from './components/SandboxBanner';
import { StatusBar } from './components/StatusBar';
import { useAppInfo } from './hooks/useAppInfo';
import { DevicesScreen } from './screens/DevicesScreen';
import { HistoryScreen } from './screens/HistoryScreen';
import { InspectScreen } from './screens/InspectScreen';
import { PortsScreen } from './screens/PortsScreen';
import { SettingsScreen } from './screens/SettingsScreen';
import { StationScreen } from './screens/StationScreen';

export function App({ keyline }: { keyline: KeylineApi }) {
  const [screen, setScreen] = useState<ScreenId>('station');
  const info = useAppInfo(keyline);
  const title = SCREENS.find((entry) => entry.id === screen)?.label ?? '';

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <SandboxBanner info={info} onSettings={() => setScreen('settings')} />
      <Navigation current={screen} onSelect={setScreen} />
      <main id="main" className="screen" tabIndex={-1} aria-labelledby="screen-title">
        <h1 id="screen-title">{title}</h1>
        {screen === 'station' && <StationScreen keyline={keyline} onNavigate={setScreen} />}
        {screen === 'devices' && <DevicesScreen keyline={keyline} />}
        {screen === 'ports' && <PortsScreen keyline={keyline} />}
        {screen === 'inspect' && <InspectScreen keyline={keyline} />}
        {screen === 'history' && <HistoryScreen keyline={keyline} />}
        {screen === 'settings' && <SettingsScreen info={info} keyline={keyline} />}
      </main>
      <StatusBar keyline={keyline} info={info} />
    </div>
  );
}
