import { AuthError } from './auth-error';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/**
 * A server the station may talk to or send the technician to: https anywhere, plain http only on
 * this machine (the sandbox). No credentials in the URL, no other schemes.
 */
export function parseServerUrl(text: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new AuthError('AUTH_INSECURE_URL', `${what} is not a valid address`);
  }
  if (url.username || url.password) {
    throw new AuthError('AUTH_INSECURE_URL', `${what} must not contain a user name or password`);
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return url;
  throw new AuthError(
    'AUTH_INSECURE_URL',
    `${what} must use https:// (plain http:// is allowed only for this machine, as in the sandbox): ${url.protocol}//${url.host}`,
  );
}

/** Whether oauth4webapi must be told to allow plain http for this URL (loopback sandbox only). */
export function needsInsecureRequests(url: URL): boolean {
  return url.protocol === 'http:' && isLoopbackHost(url.hostname);
}

/** The profile's API URL as the issuer identifier: no trailing slash, no query, no fragment. */
export function normalizeApiUrl(text: string): string {
  const url = parseServerUrl(text.trim(), 'The API URL');
  url.search = '';
  url.hash = '';
  return url.href.replace(/\/+$/, '');
}

/** A short name for messages: scheme and host, never a path or query that could carry anything. */
export function serverName(url: string | URL): string {
  try {
    const parsed = typeof url === 'string' ? new URL(url) : url;
    return parsed.host;
  } catch {
    return 'the platform';
  }
}
