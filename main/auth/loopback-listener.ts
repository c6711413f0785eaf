import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AuthError } from './auth-error';

/** RFC 8252 §7.3: loopback IP literal, never `localhost` (it may resolve elsewhere), never all interfaces. */
export const LOOPBACK_ADDRESS = '127.0.0.1';
export const CALLBACK_PATH = '/callback';

export type CallbackOutcome = { ok: true } | { ok: false; message: string };

export interface LoopbackCallback {
  /** The query of the redirect: code, state, iss, or error. */
  readonly params: URLSearchParams;
  /** Shows the outcome page in the browser, then closes the listener. */
  respond(outcome: CallbackOutcome): Promise<void>;
}

export interface LoopbackListener {
  readonly redirectUri: string;
  /** Rejects with AUTH_TIMEOUT, AUTH_CANCELLED or AUTH_CALLBACK_WRONG_PATH. */
  readonly callback: Promise<LoopbackCallback>;
  close(): Promise<void>;
}

export interface LoopbackListenerOptions {
  path?: string;
  /** How long the technician has to finish in the browser. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Longest the browser waits for the outcome page before a generic one is shown. */
  respondWithinMs?: number;
}

const OAUTH_PARAMS = ['code', 'state', 'error', 'iss'];

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** The page the browser shows after the redirect: no token, no code, nothing to copy. */
export function outcomePage(outcome: CallbackOutcome): string {
  const title = outcome.ok ? 'Signed in to Keyline' : 'Keyline sign-in did not complete';
  const body = outcome.ok
    ? 'You are signed in. You can close this tab and go back to Keyline.'
    : `${escapeHtml(outcome.message)} Go back to Keyline to try again.`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${title}</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;line-height:1.5}
h1{font-size:1.5rem}</style></head>
<body><main><h1>${title}</h1><p>${body}</p></main></body></html>
`;
}

const PAGE_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'",
};

/**
 * The redirect target of a browser sign-in: an HTTP listener on 127.0.0.1 with an ephemeral port
 * that accepts exactly one callback on its path, then closes. Stray requests (a favicon) get 404;
 * an OAuth redirect to another path is a misconfiguration and fails the sign-in at once.
 */
export async function startLoopbackListener(options: LoopbackListenerOptions = {}): Promise<LoopbackListener> {
  const callbackPath = options.path ?? CALLBACK_PATH;
  const timeoutMs = options.timeoutMs ?? 5 * 60_000;
  const server = http.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, LOOPBACK_ADDRESS, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = `${LOOPBACK_ADDRESS}:${port}`;
  let settled = false;
  let closed: Promise<void> | undefined;

  const close = (): Promise<void> => {
    closed ??= new Promise<void>((resolve) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      server.close(() => resolve());
      server.closeAllConnections();
    });
    return closed;
  };

  let resolveCallback!: (value: LoopbackCallback) => void;
  let rejectCallback!: (reason: AuthError) => void;
  const callback = new Promise<LoopbackCallback>((resolve, reject) => {
    resolveCallback = resolve;
    rejectCallback = reject;
  });
  // The owner may attach its handler later (after opening the browser); never an unhandled rejection.
  callback.catch(() => undefined);

  const fail = (error: AuthError) => {
    if (settled) return;
    settled = true;
    rejectCallback(error);
    void close();
  };

  const timer = setTimeout(
    () =>
      fail(
        new AuthError(
          'AUTH_TIMEOUT',
          `The sign-in was not completed in the browser within ${Math.round(timeoutMs / 1000)} s (was the browser closed?); start again`,
        ),
      ),
    timeoutMs,
  );
  const onAbort = () => fail(new AuthError('AUTH_CANCELLED', 'The sign-in was cancelled'));
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener('abort', onAbort, { once: true });

  server.on('request', (request, response) => {
    if (request.headers.host !== host) {
      response.writeHead(421, { 'Content-Type': 'text/plain' }).end('Misdirected request');
      return;
    }
    if (request.method !== 'GET') {
      response.writeHead(405, { Allow: 'GET', 'Content-Type': 'text/plain' }).end('Method not allowed');
      return;
    }
    const url = new URL(request.url ?? '/', `http://${host}`);
    const isOAuthRedirect = OAUTH_PARAMS.some((name) => url.searchParams.has(name));
    if (settled) {
      response
        .writeHead(410, PAGE_HEADERS)
        .end(outcomePage({ ok: false, message: 'This sign-in link was already used.' }));
      return;
    }
    if (url.pathname !== callbackPath) {
      if (!isOAuthRedirect) {
        response.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
        return;
      }
      const error = new AuthError(
        'AUTH_CALLBACK_WRONG_PATH',
        `The platform sent the sign-in back to ${url.pathname.slice(0, 100)} instead of ${callbackPath}; check the OAuth client's redirect URI`,
      );
      response
        .writeHead(400, PAGE_HEADERS)
        .end(outcomePage({ ok: false, message: 'The sign-in came back to an unexpected address.' }), () => fail(error));
      return;
    }
    settled = true;
    clearTimeout(timer);
    // Take no second callback: stop listening now, answer this one when the outcome is known.
    server.close();
    let answered = false;
    const respond = async (outcome: CallbackOutcome) => {
      if (answered) return;
      answered = true;
      clearTimeout(fallback);
      await new Promise<void>((resolve) =>
        response.writeHead(outcome.ok ? 200 : 400, PAGE_HEADERS).end(outcomePage(outcome), resolve),
      );
      await close();
    };
    const fallback = setTimeout(
      () => void respond({ ok: false, message: 'Keyline is still finishing the sign-in; check the Keyline window.' }),
      options.respondWithinMs ?? 30_000,
    );
    resolveCallback({ params: url.searchParams, respond });
  });

  return { redirectUri: `http://${host}${callbackPath}`, callback, close };
}
