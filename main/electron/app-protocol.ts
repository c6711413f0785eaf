import type { Protocol } from 'electron';
import { contentSecurityPolicy, securityHeaders } from '../host/csp';
import { readStaticFile } from '../host/static-files';
import { APP_HOST, APP_SCHEME } from './window-options';

/** Must run before the app is ready: the scheme is standard (origins, relative URLs) and secure. */
export const appSchemePrivileges = [
  {
    scheme: APP_SCHEME,
    privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: false, stream: false },
  },
];

/** Serves the built renderer from `rendererDir` on app://keyline/ with the strict CSP on every answer. */
export function serveAppScheme(protocol: Pick<Protocol, 'handle'>, rendererDir: string): void {
  const headers = securityHeaders(contentSecurityPolicy());
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST) return new Response('Not found', { status: 404 });
    const file = await readStaticFile(rendererDir, url.pathname);
    if (!file) return new Response('Not found', { status: 404, headers });
    return new Response(new Uint8Array(file.body), {
      status: 200,
      headers: { ...headers, 'Content-Type': file.contentType },
    });
  });
}
