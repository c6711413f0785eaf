import type { Event, HandlerDetails, Session, WebContents } from 'electron';
import { APP_ORIGIN } from './window-options';

type NavigationSource = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;
type PermissionSource = Pick<
  Session,
  'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'
>;

/** True only for the app's own pages on its own scheme. */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}` === APP_ORIGIN;
  } catch {
    return false;
  }
}

/**
 * Navigation, redirects, new windows and <webview> are all refused: the window shows the app and
 * nothing else. The system browser is opened only by main, for a vetted authorization URL.
 */
export function denyNavigation(contents: NavigationSource): void {
  const preventUnlessApp = (event: Event, url: string) => {
    if (!isAppUrl(url)) event.preventDefault();
  };
  contents.on('will-navigate', preventUnlessApp as never);
  contents.on('will-redirect', preventUnlessApp as never);
  contents.on('will-attach-webview', ((event: Event) => event.preventDefault()) as never);
  contents.setWindowOpenHandler((_details: HandlerDetails) => ({ action: 'deny' }));
}

/** The app needs no camera, microphone, notifications prompt, USB or HID from Chromium. */
export function denyPermissions(session: PermissionSource): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}
