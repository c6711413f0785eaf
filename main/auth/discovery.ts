import * as oauth from 'oauth4webapi';
import { AuthError, toAuthError } from './auth-error';
import { isLoopbackHost, needsInsecureRequests, parseServerUrl, serverName } from './server-url';

export type FetchLike = typeof fetch;

/** Options every oauth4webapi request of one server gets: abort, plain http for the loopback sandbox, fetch. */
export function requestOptions(issuer: URL, signal: AbortSignal | undefined, fetchImpl: FetchLike | undefined) {
  return {
    signal,
    [oauth.allowInsecureRequests]: needsInsecureRequests(issuer),
    ...(fetchImpl ? { [oauth.customFetch]: fetchImpl } : {}),
  };
}

const ENDPOINTS = [
  'authorization_endpoint',
  'token_endpoint',
  'revocation_endpoint',
  'device_authorization_endpoint',
  'registration_endpoint',
] as const;

/**
 * Every endpoint the metadata names must be https, or loopback http when the issuer itself is the
 * loopback sandbox: metadata is untrusted input, and the authorization endpoint is where the
 * technician's browser is sent.
 */
function checkEndpoints(as: oauth.AuthorizationServer, issuer: URL): void {
  for (const name of ENDPOINTS) {
    const value = as[name];
    if (value === undefined) continue;
    let url: URL;
    try {
      url = parseServerUrl(String(value), `The server's ${name}`);
    } catch (error) {
      throw new AuthError('AUTH_DISCOVERY_FAILED', `${serverName(issuer)} published an unsafe ${name}`, {
        cause: error,
      });
    }
    if (url.protocol === 'http:' && !(issuer.protocol === 'http:' && isLoopbackHost(issuer.hostname))) {
      throw new AuthError('AUTH_DISCOVERY_FAILED', `${serverName(issuer)} published a plain-http ${name}`);
    }
  }
  if (!as.authorization_endpoint || !as.token_endpoint) {
    throw new AuthError(
      'AUTH_DISCOVERY_FAILED',
      `${serverName(issuer)} does not publish an authorization and a token endpoint; is the API URL right?`,
    );
  }
}

/**
 * Authorization server metadata for a profile's API URL: RFC 8414
 * (`/.well-known/oauth-authorization-server`) first, then OpenID Connect discovery when the server
 * has no RFC 8414 document. The metadata's `issuer` must equal the API URL (oauth4webapi checks it).
 */
export async function discoverServer(
  apiUrl: string,
  options: { fetch?: FetchLike; signal?: AbortSignal } = {},
): Promise<oauth.AuthorizationServer> {
  const issuer = parseServerUrl(apiUrl, 'The API URL');
  const server = serverName(issuer);
  const http = requestOptions(issuer, options.signal, options.fetch);
  try {
    let response = await oauth.discoveryRequest(issuer, { ...http, algorithm: 'oauth2' });
    if (response.status === 404) {
      await response.body?.cancel();
      response = await oauth.discoveryRequest(issuer, { ...http, algorithm: 'oidc' });
    }
    if (response.status === 404) {
      await response.body?.cancel();
      throw new AuthError(
        'AUTH_DISCOVERY_FAILED',
        `${server} publishes no OAuth metadata (RFC 8414 or OpenID Connect); is the API URL right?`,
      );
    }
    if (response.status !== 200) {
      await response.body?.cancel();
      throw new AuthError(
        'AUTH_DISCOVERY_FAILED',
        `${server} answered HTTP ${response.status} for its OAuth metadata; try again later`,
      );
    }
    const as = await oauth.processDiscoveryResponse(issuer, response);
    checkEndpoints(as, issuer);
    return as;
  } catch (error) {
    if (error instanceof AuthError) throw error;
    const mapped = toAuthError(error, 'reading its OAuth metadata', server);
    if (mapped.code === 'AUTH_SERVER_ERROR') {
      throw new AuthError('AUTH_DISCOVERY_FAILED', `${server} published OAuth metadata Keyline cannot use`, {
        cause: mapped.cause,
      });
    }
    throw mapped;
  }
}
