import { describe, expect, it } from 'vitest';
import { isTrustedSender } from './ipc-binding';

/**
 * The IPC sender check against addresses built to look like the app: a page that reached the
 * window some other way must not pass for it by a userinfo part, a port, a longer host or a
 * scheme-relative trick. (ipc-binding.test.ts covers foreign pages, subframes and gone frames.)
 */
function topFrame(url: string) {
  const mainFrame = { url };
  return { sender: { mainFrame }, senderFrame: mainFrame } as never;
}

describe('IPC sender check', () => {
  it('trusts the top frame of the app on its own scheme and host', () => {
    expect(isTrustedSender(topFrame('app://keyline/index.html'))).toBe(true);
    expect(isTrustedSender(topFrame('app://keyline/index.html#/history?q=x'))).toBe(true);
  });

  it.each([
    'app://keyline@attacker.example/index.html',
    'app://keyline\\@attacker.example/index.html',
    'app://keyline:8080/index.html',
    'app://keyline./index.html',
    'app://keyline.attacker.example/index.html',
    'app://attacker.example/keyline/index.html',
    'app:keyline/index.html',
    'app:///keyline/index.html',
    'http://keyline/index.html',
    'file:///opt/keyline/resources/app.asar/dist/renderer/index.html',
    'devtools://devtools/bundled/inspector.html',
    'chrome-extension://keyline/index.html',
    'about:blank',
    'data:text/html,<script>keyline.invoke()</script>',
    '',
  ])('refuses a top frame at %j', (url) => {
    expect(isTrustedSender(topFrame(url))).toBe(false);
  });

  it('refuses a frame that is the app but not the top frame of the sender', () => {
    const event = {
      sender: { mainFrame: { url: 'app://keyline/index.html' } },
      senderFrame: { url: 'app://keyline/' },
    };
    expect(isTrustedSender(event as never)).toBe(false);
  });
});
