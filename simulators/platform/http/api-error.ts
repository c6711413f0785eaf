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
export const tooManyRequests = (message: string) => new ApiError(429, 'TooManyRequests', message);

/** A call the principal may not make: 401 or 403 as the simulator is configured (the docs are silent). */
export const permissionDenied = (status: 401 | 403, message: string) =>
  new ApiError(status, status === 401 ? 'Unauthorized' : 'Forbidden', message);

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
