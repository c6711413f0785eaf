import { createKeylineApi, isEventName, isMethodName, type KeylineApi } from '../../../common/contract';
import { createWebSocketTransport, takeLaunchToken } from './web-transport';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a browser, where the web transport fills in. */
    keyline?: KeylineApi;
  }
}

export class BridgeUnavailableError extends Error {
  constructor() {
    super('This page was opened without its launch token. Open the address the Keyline web host printed.');
    this.name = 'BridgeUnavailableError';
  }
}

/** The one way the renderer reaches the station: Electron's preload, or the web host's socket. */
export function connectKeyline(): KeylineApi {
  if (window.keyline) return window.keyline;
  const token = takeLaunchToken(window.location, window.history, window.sessionStorage);
  if (!token) throw new BridgeUnavailableError();
  const url = `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}/contract`;
  const api = createKeylineApi(createWebSocketTransport(url, token), isMethodName, isEventName);
  window.keyline = api;
  return api;
}
