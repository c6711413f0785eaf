import { createHash, randomBytes } from 'node:crypto';
import {
  startPlatformSimulator,
  type PlatformSimulatorOptions,
  type RunningPlatformSimulator,
  type SeedInfo,
} from '../../../simulators/platform';

/** Starts an in-process simulator on an ephemeral port; tests must `close()` it (see `useSimulator`). */
export function startSimulator(options: PlatformSimulatorOptions = {}): Promise<RunningPlatformSimulator> {
  return startPlatformSimulator({ port: 0, host: '127.0.0.1', ...options });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read answers field by field
export type Json = any;

export interface Answer<T = Json> {
  status: number;
  body: T;
  headers: Headers;
}

/** A JSON call the way the official client makes it (Accept-Version, `_links` params). */
export async function call<T = Json>(
  base: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; raw?: string } = {},
): Promise<Answer<T>> {
  const url = new URL(path, base);
  url.searchParams.set('_actions', 'false');
  url.searchParams.set('_links', 'true');
  url.searchParams.set('_embedded', 'true');
  const headers: Record<string, string> = { accept: 'application/json', 'accept-version': '^1.30.0' };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.raw !== undefined) {
    body = options.raw;
    headers['content-type'] = 'application/json';
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] = 'application/json';
  }
  const response = await fetch(url, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // keep text
  }
  return { status: response.status, body: parsed as T, headers: response.headers };
}

export function api(sim: RunningPlatformSimulator, token?: string) {
  return {
    get: <T = Json>(path: string, t = token) => call<T>(sim.url, 'GET', path, { token: t }),
    post: <T = Json>(path: string, body: unknown, t = token) => call<T>(sim.url, 'POST', path, { token: t, body }),
    patch: <T = Json>(path: string, body: unknown, t = token) => call<T>(sim.url, 'PATCH', path, { token: t, body }),
    delete: <T = Json>(path: string, t = token) => call<T>(sim.url, 'DELETE', path, { token: t }),
  };
}

export function deviceOfClass(seed: SeedInfo, deviceClass: string) {
  const device = seed.devices.find(
    (entry) => entry.deviceClass === deviceClass && entry.applicationId === seed.applicationId,
  );
  if (!device) throw new Error(`seed has no ${deviceClass} device`);
  return device;
}

/** Authenticates a device with key and secret; answers the `/auth/device` reply. */
export function authDevice(sim: RunningPlatformSimulator, body: Record<string, unknown>) {
  return call(sim.url, 'POST', '/auth/device', { body });
}

export function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  return { verifier, challenge };
}

/** A minimal browser: keeps cookies, follows nothing by itself. */
export class Browser {
  private readonly cookies = new Map<string, string>();

  async request(url: string, init: { method?: string; form?: Record<string, string> } = {}) {
    const headers: Record<string, string> = {};
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    let body: string | undefined;
    if (init.form) {
      body = new URLSearchParams(init.form).toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    const response = await fetch(url, { method: init.method ?? 'GET', headers, body, redirect: 'manual' });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const index = (pair ?? '').indexOf('=');
      const name = (pair ?? '').slice(0, index).trim();
      const value = (pair ?? '').slice(index + 1).trim();
      if (/expires=Thu, 01 Jan 1970/i.test(cookie) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return { status: response.status, location: response.headers.get('location'), text: await response.text() };
  }

  /** Follows redirects on the simulator until one leaves it (or a page is shown). */
  async follow(start: string, base: string) {
    let url = start;
    for (let hop = 0; hop < 10; hop++) {
      const answer = await this.request(url);
      if (answer.status < 300 || answer.status >= 400 || !answer.location) return { url, ...answer };
      const next = new URL(answer.location, url).href;
      if (!next.startsWith(base)) return { url, ...answer, location: next };
      url = next;
    }
    throw new Error('too many redirects');
  }
}

export function formAction(html: string, index = 0): string {
  const actions = [...html.matchAll(/<form[^>]*action="([^"]+)"/g)].map((match) => match[1] as string);
  const action = actions[index];
  if (!action) throw new Error(`no form ${index} in page:\n${html}`);
  return action.replace(/&amp;/g, '&');
}

export interface OauthFlow {
  client_id?: string;
  redirect_uri?: string;
  scope?: string;
  user?: { email: string; password: string };
  demoUserId?: string;
  maxRole?: string;
  orgRoles?: Record<string, string>;
  decision?: 'allow' | 'deny';
  extraParams?: Record<string, string>;
  omitPkce?: boolean;
}

/**
 * Drives the authorization code flow as a browser would: authorize, sign in, consent; answers the
 * final redirect (to the client's loopback redirect URI) and the PKCE verifier.
 */
export async function authorize(sim: RunningPlatformSimulator, flow: OauthFlow = {}) {
  const { verifier, challenge } = pkce();
  const redirectUri = flow.redirect_uri ?? 'http://127.0.0.1:53123/callback';
  const params = new URLSearchParams({
    response_type: 'code',
    client_id: flow.client_id ?? sim.seed.oauthClientId,
    redirect_uri: redirectUri,
    scope: flow.scope ?? 'all.Application.bounded only.User.read',
    state: 'state-123',
    ...(flow.omitPkce ? {} : { code_challenge: challenge, code_challenge_method: 'S256' }),
    ...flow.extraParams,
  });
  const browser = new Browser();
  const start = `${sim.url}/oauth/authorize?${params}`;
  let page = await browser.follow(start, sim.url);
  if (page.location) return { browser, verifier, redirectUri, final: page.location, loginPage: undefined };
  const loginPage = page.text;
  const user = flow.user ?? sim.seed.technician;
  const login = await browser.request(new URL(formAction(loginPage), sim.url).href, {
    method: 'POST',
    form: flow.demoUserId ? { demo: flow.demoUserId } : { email: user.email, password: user.password },
  });
  if (login.status !== 303 || !login.location) {
    return { browser, verifier, redirectUri, final: undefined, loginPage, loginAnswer: login };
  }
  page = await browser.follow(new URL(login.location, sim.url).href, sim.url);
  if (page.location) return { browser, verifier, redirectUri, final: page.location, loginPage };
  const consentPage = page.text;
  const form: Record<string, string> = { maxRole: flow.maxRole ?? 'collaborate', decision: flow.decision ?? 'allow' };
  for (const [orgId, role] of Object.entries(flow.orgRoles ?? {})) form[`org:${orgId}`] = role;
  const consent = await browser.request(new URL(formAction(consentPage), sim.url).href, { method: 'POST', form });
  page = await browser.follow(new URL(consent.location ?? '', sim.url).href, sim.url);
  return { browser, verifier, redirectUri, final: page.location ?? undefined, loginPage, consentPage };
}

export async function tokenRequest(sim: RunningPlatformSimulator, form: Record<string, string>) {
  const response = await fetch(`${sim.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams(form).toString(),
  });
  return { status: response.status, body: (await response.json()) as Record<string, Json> };
}

/** The whole code + PKCE flow; answers the token endpoint's reply. */
export async function signIn(sim: RunningPlatformSimulator, flow: OauthFlow = {}) {
  const result = await authorize(sim, flow);
  if (!result.final) throw new Error('authorization did not redirect back to the client');
  const code = new URL(result.final).searchParams.get('code');
  if (!code) throw new Error(`no code in ${result.final}`);
  const tokens = await tokenRequest(sim, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: result.redirectUri,
    client_id: flow.client_id ?? sim.seed.oauthClientId,
    code_verifier: result.verifier,
  });
  return { ...result, tokens };
}

export function decodeJwt(token: string): { header: Record<string, Json>; payload: Record<string, Json> } {
  const [header, payload] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(header ?? '', 'base64url').toString()),
    payload: JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()),
  };
}
