import { describe, expect, it } from 'vitest';
import { denyNavigation, denyPermissions, isAppUrl } from './harden';

type Listener = (event: { preventDefault(): void; defaultPrevented?: boolean }, url?: string) => void;

function fakeWebContents() {
  const listeners = new Map<string, Listener>();
  let openHandler: ((details: { url: string }) => { action: string }) | undefined;
  return {
    contents: {
      on(event: string, listener: Listener) {
        listeners.set(event, listener);
        return this;
      },
      setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
        openHandler = handler;
      },
    },
    fire(event: string, url?: string) {
      let prevented = false;
      listeners.get(event)?.({ preventDefault: () => (prevented = true) }, url);
      return prevented;
    },
    open: (url: string) => openHandler?.({ url }),
  };
}

describe('window hardening', () => {
  it('recognises only the app scheme as the app', () => {
    expect(isAppUrl('app://keyline/index.html')).toBe(true);
    expect(isAppUrl('app://evil/index.html')).toBe(false);
    expect(isAppUrl('https://keyline/index.html')).toBe(false);
    expect(isAppUrl('file:///etc/passwd')).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
  });

  it('prevents navigation and redirects away from the app', () => {
    const fake = fakeWebContents();
    denyNavigation(fake.contents as never);
    expect(fake.fire('will-navigate', 'https://attacker.example/')).toBe(true);
    expect(fake.fire('will-redirect', 'file:///etc/passwd')).toBe(true);
    expect(fake.fire('will-navigate', 'app://keyline/index.html')).toBe(false);
  });

  it('denies every new window and webview', () => {
    const fake = fakeWebContents();
    denyNavigation(fake.contents as never);
    expect(fake.open('https://example.com')).toEqual({ action: 'deny' });
    expect(fake.open('app://keyline/index.html')).toEqual({ action: 'deny' });
    expect(fake.fire('will-attach-webview')).toBe(true);
  });

  it('denies every permission request and check', () => {
    let request: ((c: unknown, p: string, cb: (granted: boolean) => void) => void) | undefined;
    let check: (() => boolean) | undefined;
    let device: (() => boolean) | undefined;
    denyPermissions({
      setPermissionRequestHandler: (handler: never) => (request = handler),
      setPermissionCheckHandler: (handler: never) => (check = handler),
      setDevicePermissionHandler: (handler: never) => (device = handler),
    } as never);
    const answers: boolean[] = [];
    for (const permission of ['media', 'notifications', 'geolocation', 'serial', 'usb']) {
      request?.({}, permission, (granted) => answers.push(granted));
    }
    expect(answers).toEqual([false, false, false, false, false]);
    expect(check?.()).toBe(false);
    expect(device?.()).toBe(false);
  });
});
