import { KeylineError } from '../../common/errors';

export type PlatformErrorCode =
  | 'PLATFORM_UNAUTHORIZED'
  | 'PLATFORM_FORBIDDEN'
  | 'PLATFORM_NOT_FOUND'
  | 'PLATFORM_VALIDATION'
  | 'PLATFORM_ALREADY_EXISTS'
  | 'PLATFORM_RATE_LIMITED'
  | 'PLATFORM_UNAVAILABLE'
  | 'PLATFORM_BAD_RESPONSE';

export interface PlatformErrorDetails {
  /** HTTP status of the platform's answer; absent when no answer arrived (refused, timeout). */
  status?: number;
  /** The platform's own error `type` (`NotFound`, `Validation`, ...) when it sent one. */
  type?: string;
  /**
   * True when a call that changes something may have taken effect although no usable answer
   * arrived (timeout, dropped connection, 5xx, unreadable 2xx). A create with an unknown outcome
   * must be looked up (key by name, device by tag) before it is tried again.
   */
  outcomeUnknown?: boolean;
  /** How long the platform asked us to wait (Retry-After), when it said so. */
  retryAfterMs?: number;
  cause?: unknown;
}

/**
 * Every failure of a platform call. The message names what was attempted and what to do about it,
 * built only from ids, statuses and the platform's (sanitised) error text: never a token, a secret
 * or a response body.
 */
export class PlatformError extends KeylineError<PlatformErrorCode> {
  readonly status: number | undefined;
  readonly type: string | undefined;
  readonly outcomeUnknown: boolean;
  readonly retryAfterMs: number | undefined;

  constructor(code: PlatformErrorCode, message: string, details: PlatformErrorDetails = {}) {
    super(code, message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'PlatformError';
    this.status = details.status;
    this.type = details.type;
    this.outcomeUnknown = details.outcomeUnknown ?? false;
    this.retryAfterMs = details.retryAfterMs;
  }
}

export function isPlatformError(value: unknown, code?: PlatformErrorCode): value is PlatformError {
  return value instanceof PlatformError && (code === undefined || value.code === code);
}

const JWT_LIKE = /\beyJ[A-Za-z0-9_-]{4,}(?:\.[A-Za-z0-9_-]*){1,2}/g;
const BEARER_LIKE = /\bBearer\s+\S+/gi;
const MAX_PLATFORM_MESSAGE = 200;

/**
 * The platform's own error text is useful to a technician ("Device was not found", "Device not
 * allowed to connect") but is untrusted: strip control characters, cut it short, and remove
 * anything that looks like a token or equals a credential this request carried.
 */
export function sanitisePlatformMessage(
  message: unknown,
  knownSecrets: readonly string[] = [],
  redact: (text: string) => string = (text) => text,
): string | undefined {
  if (typeof message !== 'string') return undefined;
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is being removed
  let text = message.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();
  for (const secret of knownSecrets) {
    if (secret.length >= 4) text = text.split(secret).join('[REDACTED]');
  }
  text = redact(text.replace(JWT_LIKE, '[REDACTED]').replace(BEARER_LIKE, 'Bearer [REDACTED]'));
  if (text.length > MAX_PLATFORM_MESSAGE) text = `${text.slice(0, MAX_PLATFORM_MESSAGE - 1)}…`;
  return text.length > 0 ? text : undefined;
}
