import { LOOK_IT_UP } from './answer-errors';
import { PlatformError, type PlatformErrorCode } from './errors';

/** What the client knows about a refused call when it turns the answer into a typed error. */
export interface RefusalContext {
  /** Plain words for what was attempted: "create an access key in application 5f…". */
  action: string;
  status: number;
  /** The platform's `type`, when its error body had one. */
  type: string | undefined;
  /** The platform's `message`, already sanitised. */
  platformMessage: string | undefined;
  /** `none` for `POST /auth/device`, which authenticates with the body, not a bearer token. */
  auth: 'bearer' | 'none';
  /** For a 401: a fresh token was asked for and also refused, or none could be had. */
  refreshed: boolean;
  retryAfterMs: number | undefined;
  outcomeUnknown: boolean;
}

/**
 * A 401 can mean a bad token or, on platforms configured that way, a token that lacks the scope:
 * the wording of the answer is all there is to tell them apart.
 */
const SCOPE_TYPES = new Set(['Forbidden', 'InsufficientScope', 'AccessDenied', 'PermissionDenied']);
const SCOPE_WORDS =
  /\bscopes?\b|\broles?\b|permission|insufficient|forbidden|not allowed|not permitted|does not allow|needs an? \w+ token/i;

export function isScopeRefusal(type: string | undefined, platformMessage: string | undefined): boolean {
  return (
    (type !== undefined && SCOPE_TYPES.has(type)) ||
    (platformMessage !== undefined && SCOPE_WORDS.test(platformMessage))
  );
}

function said(context: RefusalContext): string {
  const words = context.platformMessage ?? context.type;
  return words ? ` The platform said: "${words}".` : '';
}

function make(code: PlatformErrorCode, message: string, context: RefusalContext): PlatformError {
  return new PlatformError(code, message, {
    status: context.status,
    type: context.type,
    outcomeUnknown: context.outcomeUnknown,
    retryAfterMs: context.retryAfterMs,
  });
}

function unauthorized(context: RefusalContext): PlatformError {
  const { action, status } = context;
  if (context.auth === 'none') {
    return make(
      'PLATFORM_UNAUTHORIZED',
      `The platform refused to ${action} (${status}).${said(context)} Check that the access key is active, allows this device, and that the device class may connect (standalone, gateway or edgeCompute).`,
      context,
    );
  }
  if (isScopeRefusal(context.type, context.platformMessage)) {
    return make(
      'PLATFORM_FORBIDDEN',
      `This session may not ${action} (${status}).${said(context)} Sign in with a role, or use an API token with a scope, that allows it.`,
      context,
    );
  }
  if (context.refreshed) {
    return make(
      'PLATFORM_UNAUTHORIZED',
      `The platform refused this session to ${action} (${status}), even with a fresh token.${said(context)} Either this session may not do this (missing scope or role), or its token was revoked or deactivated: sign in again, or use an API token that allows it.`,
      context,
    );
  }
  return make(
    'PLATFORM_UNAUTHORIZED',
    `The platform did not accept this session's token to ${action} (${status}).${said(context)} Sign in again, or check the API token in KEYLINE_TOKEN (active, not expired, right platform).`,
    context,
  );
}

/** Maps a non-2xx answer to the typed error the rest of the station matches on. */
export function refusalError(context: RefusalContext): PlatformError {
  const { action, status, type } = context;
  if (status === 401) return unauthorized(context);
  if (status === 403) {
    return make(
      'PLATFORM_FORBIDDEN',
      `This session may not ${action} (403).${said(context)} Ask an administrator for a role or a token scope that allows it.`,
      context,
    );
  }
  if (type === 'AlreadyExists' || status === 409) {
    return make(
      'PLATFORM_ALREADY_EXISTS',
      `Could not ${action}: it already exists (${status}).${said(context)}`,
      context,
    );
  }
  if (status === 404) {
    return make(
      'PLATFORM_NOT_FOUND',
      `Could not ${action}: not found (404).${said(context)} Check the application and the ids, and that this session can see them.`,
      context,
    );
  }
  if (status === 429) {
    const wait = context.retryAfterMs === undefined ? 'a moment' : `${Math.ceil(context.retryAfterMs / 1000)} s`;
    return make(
      'PLATFORM_RATE_LIMITED',
      `The platform is limiting requests to ${action} (429); try again in ${wait}.${said(context)}`,
      context,
    );
  }
  if (status >= 500) {
    const unknown = context.outcomeUnknown ? LOOK_IT_UP : '';
    return make(
      'PLATFORM_UNAVAILABLE',
      `The platform failed to ${action} (${status}); it may be down or overloaded.${said(context)}${unknown}`,
      context,
    );
  }
  if (status === 405) {
    return make(
      'PLATFORM_BAD_RESPONSE',
      `The server at the API URL does not offer the call to ${action} (405).${said(context)} Check that the API URL points at the platform's REST API.`,
      context,
    );
  }
  if (status >= 400) {
    return make(
      'PLATFORM_VALIDATION',
      `The platform rejected the request to ${action} (${status}).${said(context)}`,
      context,
    );
  }
  return make(
    'PLATFORM_BAD_RESPONSE',
    `The platform answered the request to ${action} with an unexpected status ${status}.`,
    context,
  );
}
