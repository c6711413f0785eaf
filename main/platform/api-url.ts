import { PlatformError } from './errors';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

function isLoopback(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127\.\d+\.\d+\.\d+$/.test(hostname) || hostname.endsWith('.localhost');
}

/**
 * Checks a platform API URL (`https://api.losant.com`, a self-hosted instance, the sandbox on
 * loopback) and returns it without a trailing slash. Plain http is refused off loopback unless the
 * caller explicitly allows it: bearer tokens would cross the network in clear text.
 */
export function normaliseApiUrl(apiUrl: string, options: { allowInsecureHttp?: boolean } = {}): URL {
  let url: URL;
  try {
    url = new URL(apiUrl);
  } catch {
    throw new PlatformError(
      'PLATFORM_VALIDATION',
      'The API URL is not a valid URL; use a form like https://api.losant.com',
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new PlatformError('PLATFORM_VALIDATION', `The API URL must start with https:// (it uses ${url.protocol})`);
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new PlatformError(
      'PLATFORM_VALIDATION',
      'The API URL must not carry a user name, password, query or fragment; use a form like https://api.losant.com',
    );
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname) && !options.allowInsecureHttp) {
    throw new PlatformError(
      'PLATFORM_VALIDATION',
      `The API URL uses http:// on ${url.hostname}: tokens would cross the network unencrypted. Use https://.`,
    );
  }
  url.pathname = url.pathname.replace(/\/+$/, '');
  return url;
}
