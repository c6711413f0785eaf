/** An error answer of the platform API: `{type, message}` with an HTTP status. */
export interface ValidationIssue {
  type: string;
  name: string;
  id: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly validationErrors?: ValidationIssue[],
    /** Extra response headers (`Retry-After`, `WWW-Authenticate`). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toBody(): Record<string, unknown> {
    return this.validationErrors
      ? { type: this.type, message: this.message, validationErrors: this.validationErrors }
      : { type: this.type, message: this.message };
  }
}

export const unauthorized = (message: string) => new ApiError(401, 'Unauthorized', message);
export const notFound = (message: string) => new ApiError(404, 'NotFound', message);
export const validation = (message: string, issues?: ValidationIssue[]) =>
  new ApiError(400, 'Validation', message, issues);
/** 429 with `Retry-After` (RFC 9110 §10.2.3) in whole seconds, so clients know when to come back. */
export const tooManyRequests = (message: string, retryAfterSeconds: number) =>
  new ApiError(429, 'TooManyRequests', message, undefined, { 'retry-after': String(Math.max(1, retryAfterSeconds)) });

/** A call the principal may not make: 401 or 403 as the simulator is configured (the docs are silent). */
export const permissionDenied = (status: 401 | 403, message: string) =>
  new ApiError(status, status === 401 ? 'Unauthorized' : 'Forbidden', message, undefined, {
    'www-authenticate': 'Bearer error="insufficient_scope"',
  });

/**
 * The same error with the RFC 6750 §3 challenge a bearer-token resource server sends with a 401:
 * plain `Bearer` when no token came, `error="invalid_token"` when one did and was refused.
 */
export function withBearerChallenge(error: ApiError, tokenSent: boolean): ApiError {
  if (error.status !== 401 || error.headers['www-authenticate']) return error;
  const challenge = tokenSent ? 'Bearer error="invalid_token"' : 'Bearer';
  return new ApiError(error.status, error.type, error.message, error.validationErrors, {
    ...error.headers,
    'www-authenticate': challenge,
  });
}

/** The `type` the simulator uses for a status when it has nothing more specific (faults use it). */
export function typeForStatus(status: number): string {
  switch (status) {
    case 400:
      return 'Validation';
    case 401:
      return 'Unauthorized';
    case 403:
      return 'Forbidden';
    case 404:
      return 'NotFound';
    case 405:
      return 'MethodNotAllowed';
    case 409:
      return 'AlreadyExists';
    case 429:
      return 'TooManyRequests';
    case 503:
      return 'ServiceUnavailable';
    default:
      return status >= 500 ? 'InternalError' : 'Error';
  }
}
