import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../host/csp';
import { appSchemePrivileges, serveAppScheme } from './app-protocol';

/**
 * The app:// handler is what serves the window in Electron. Electron cannot run here, so the
 * handler is registered on a stand-in `protocol` and called with real Fetch API requests, which is
 * exactly what Electron's `protocol.handle` hands it.
 */
type Handler = (request: Request) => Promise<Response>;

let rendererDir: string;
let outside: string;
let handle: Handler;

beforeAll(async () => {
  outside = await mkdtemp(path.join(tmpdir(), 'keyline-app-scheme-'));
  rendererDir = path.join(outside, 'renderer');
  await mkdir(path.join(rendererDir, 'assets'), { recursive: true });
  await writeFile(path.join(rendererDir, 'index.html'), '<!doctype html><title>Keyline</title>');
  await writeFile(path.join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  await writeFile(path.join(outside, 'secret.json'), '{"refresh":"not for the window"}');
  const registered = new Map<string, Handler>();
  serveAppScheme(
    { handle: (scheme: string, handler: Handler) => void registered.set(scheme, handler) } as never,
    rendererDir,
  );
  expect([...registered.keys()]).toEqual(['app']);
  handle = registered.get('app')!;
});

afterAll(async () => {
  await rm(outside, { recursive: true, force: true });
});

describe('app:// protocol handler', () => {
  it('serves the page and its assets with the strict CSP and the other security headers', async () => {
    for (const url of ['app://keyline/index.html', 'app://keyline/assets/app.js', 'app://keyline/']) {
      const response = await handle(new Request(url));
      expect(response.status, url).toBe(200);
      const csp = response.headers.get('content-security-policy');
      // Exactly the window's policy: no WebSocket origin is added in Electron (IPC carries the contract).
      expect(csp, url).toBe(contentSecurityPolicy());
      expect(csp).not.toMatch(/unsafe-(inline|eval)|\*/);
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    }
  });

  it('answers 404 for another host of the scheme and for paths outside the renderer', async () => {
    for (const url of [
      'app://attacker/index.html',
      'app://keyline.attacker.example/index.html',
      'app://keyline/..%2fsecret.json',
      'app://keyline/%2e%2e/secret.json',
      'app://keyline/.hidden.js',
      'app://keyline/a%00.html',
      'app://keyline/missing.js',
    ]) {
      const response = await handle(new Request(url));
      expect(response.status, url).toBe(404);
      const body = await response.text();
      expect(body, url).not.toContain('not for the window');
      // Whatever a refusal carries, it is never a page the browser would run.
      expect(response.headers.get('content-type') ?? '', url).not.toContain('html');
    }
  });

  it('registers the scheme as standard and secure, without CORS or streaming', () => {
    expect(appSchemePrivileges).toEqual([
      {
        scheme: 'app',
        privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: false, stream: false },
      },
    ]);
  });
});
