import * as oauth from 'oauth4webapi';
import { KeylineError } from '../../common/errors';

export type AuthErrorCode =
  /** No session: the technician has to sign in. */
  | 'AUTH_SIGNED_OUT'
  /** The refresh token was refused (revoked, reused, expired): signed out, sign in again. */
  | 'AUTH_SESSION_ENDED'
  | 'AUTH_PROFILE_NOT_FOUND'
  | 'AUTH_PROFILE_INVALID'
  | 'AUTH_PROFILE_BUILT_IN'
  /** http:// to anything but this machine, or a URL of another kind. */
  | 'AUTH_INSECURE_URL'
  | 'AUTH_DISCOVERY_FAILED'
  | 'AUTH_ISSUER_MISMATCH'
  | 'AUTH_REGISTRATION_FAILED'
  | 'AUTH_UNVETTED_URL'
  | 'AUTH_STATE_MISMATCH'
  | 'AUTH_CALLBACK_WRONG_PATH'
  | 'AUTH_DENIED'
  | 'AUTH_TIMEOUT'
  | 'AUTH_CANCELLED'
  | 'AUTH_BUSY'
  | 'AUTH_DEVICE_CODE_EXPIRED'
  | 'AUTH_SERVER_ERROR'
  | 'AUTH_NETWORK'
  | 'AUTH_BAD_RESPONSE'
  | 'AUTH_KEYCHAIN_UNAVAILABLE'
  | 'AUTH_LOCK_TIMEOUT'
  | 'AUTH_FORBIDDEN';

/** Every sign-in and session failure. Messages name servers and statuses, never a token or a code. */
export class AuthError extends KeylineError<AuthErrorCode> {
  constructor(code: AuthErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'AuthError';
  }
}

export function isAuthError(error: unknown, code?: AuthErrorCode): error is AuthError {
  return error instanceof AuthError && (code === undefined || error.code === code);
}

/** OAuth error strings are short ASCII words by RFC 6749; anything else is not echoed. */
function safeWord(text: unknown): string {
  return typeof text === 'string' && /^[\x20-\x21\x23-\x5B\x5D-\x7E]{1,80}$/.test(text) ? text : 'unknown';
}

/** A cause that keeps what helps diagnosis and drops bodies and parameters, which can hold tokens or codes. */
function safeCause(error: unknown): unknown {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { name: error.name, code: typeof code === 'string' ? code : undefined };
  }
  return undefined;
}

/**
 * Maps anything oauth4webapi, fetch or an abort throws during `action` to a typed AuthError with a
 * message a technician can act on. `server` is the host the station was talking to.
 */
export function toAuthError(error: unknown, action: string, server: string): AuthError {
  if (error instanceof AuthError) return error;
  const cause = safeCause(error);
  if (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError')) {
    return error.name === 'TimeoutError'
      ? new AuthError('AUTH_NETWORK', `${server} did not answer in time while ${action}; check the network and retry`, {
          cause,
        })
      : new AuthError('AUTH_CANCELLED', `Stopped ${action}`, { cause });
  }
  if (error instanceof oauth.ResponseBodyError) {
    const word = safeWord(error.error);
    if (word === 'invalid_grant') {
      return new AuthError(
        'AUTH_SESSION_ENDED',
        `${server} no longer accepts this sign-in (invalid_grant: revoked, expired or already used); sign in again`,
        { cause },
      );
    }
    if (word === 'access_denied') {
      return new AuthError('AUTH_DENIED', `Access was denied on ${server} while ${action}`, { cause });
    }
    if (word === 'expired_token') {
      return new AuthError('AUTH_DEVICE_CODE_EXPIRED', 'The device code expired before it was entered; start again', {
        cause,
      });
    }
    return new AuthError('AUTH_SERVER_ERROR', `${server} refused ${action}: ${word} (HTTP ${error.status})`, { cause });
  }
  if (error instanceof oauth.AuthorizationResponseError) {
    const word = safeWord(error.error);
    if (word === 'access_denied') {
      return new AuthError(
        'AUTH_DENIED',
        `Access was denied on the consent page of ${server}; sign in again to retry`,
        {
          cause,
        },
      );
    }
    return new AuthError('AUTH_SERVER_ERROR', `${server} answered the sign-in with an error: ${word}`, { cause });
  }
  if (error instanceof oauth.WWWAuthenticateChallengeError) {
    return new AuthError('AUTH_SERVER_ERROR', `${server} refused ${action} (HTTP ${error.status})`, { cause });
  }
  if (error instanceof oauth.OperationProcessingError) {
    if (error.code === oauth.JSON_ATTRIBUTE_COMPARISON) {
      return new AuthError(
        'AUTH_ISSUER_MISMATCH',
        `${server} describes itself as a different issuer than the profile's API URL; check the profile`,
        { cause },
      );
    }
    const status = error.cause instanceof Response ? ` (HTTP ${error.cause.status})` : '';
    return new AuthError('AUTH_SERVER_ERROR', `${server} gave an unexpected answer while ${action}${status}`, {
      cause,
    });
  }
  if (error instanceof TypeError && (error as { code?: unknown }).code === undefined) {
    // fetch signals connection refused, DNS failure and resets as a TypeError (oauth4webapi's own
    // argument errors are TypeErrors too, but they carry a code).
    return new AuthError('AUTH_NETWORK', `Could not reach ${server} while ${action}; check the address and network`, {
      cause,
    });
  }
  return new AuthError('AUTH_SERVER_ERROR', `Failed while ${action} with ${server}`, { cause });
}
