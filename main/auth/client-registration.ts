import * as oauth from 'oauth4webapi';
import { AuthError, toAuthError } from './auth-error';
import { requestOptions, type FetchLike } from './discovery';
import { CALLBACK_PATH, LOOPBACK_ADDRESS } from './loopback-listener';
import { serverName } from './server-url';

const REQUEST_TIMEOUT_MS = 20_000;

/** The client metadata Keyline registers (RFC 7591): a public native client with a loopback redirect. */
export function registrationMetadata() {
  // No `scope` member: RFC 7591 makes it optional and servers that keep API scopes apart from
  // client metadata (oidc-provider with resource indicators) refuse it. Scopes go in each request.
  return {
    client_name: 'Keyline provisioning station',
    application_type: 'native',
    token_endpoint_auth_method: 'none',
    grant_types: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'],
    response_types: ['code'],
    redirect_uris: [`http://${LOOPBACK_ADDRESS}${CALLBACK_PATH}`],
  };
}

/** Registers Keyline with the server when the profile names no client id. */
export async function registerClient(
  as: oauth.AuthorizationServer,
  options: { fetch?: FetchLike; signal?: AbortSignal } = {},
): Promise<string> {
  const issuer = new URL(as.issuer);
  const server = serverName(issuer);
  if (!as.registration_endpoint) {
    throw new AuthError(
      'AUTH_REGISTRATION_FAILED',
      `${server} offers no client registration; enter Keyline's OAuth client id in the profile`,
    );
  }
  try {
    const response = await oauth.dynamicClientRegistrationRequest(
      as,
      registrationMetadata(),
      requestOptions(issuer, options.signal ?? AbortSignal.timeout(REQUEST_TIMEOUT_MS), options.fetch),
    );
    const client = await oauth.processDynamicClientRegistrationResponse(response);
    return client.client_id;
  } catch (error) {
    const mapped = toAuthError(error, 'registering Keyline as a client', server);
    if (mapped.code === 'AUTH_SERVER_ERROR') {
      throw new AuthError('AUTH_REGISTRATION_FAILED', `${server} refused to register Keyline: ${mapped.message}`, {
        cause: mapped.cause,
      });
    }
    throw mapped;
  }
}
