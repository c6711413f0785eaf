import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { BridgeUnavailableError, connectKeyline } from './bridge/keyline';
import { applyStoredBenchMode } from './hooks/useBenchMode';
import { applyStoredTheme } from './hooks/useTheme';
import './styles/tokens.css';
import './styles/app.css';
import './styles/controls.css';

applyStoredTheme();
applyStoredBenchMode();
const root = createRoot(document.getElementById('root')!);
try {
  const keyline = connectKeyline();
  root.render(
    <StrictMode>
      <App keyline={keyline} />
    </StrictMode>,
  );
} catch (error) {
  const message = error instanceof BridgeUnavailableError ? error.message : 'Keyline could not start its window.';
  root.render(
    <main className="fatal" role="alert">
      <h1>Keyline</h1>
      <p>{message}</p>
    </main>,
  );
}
