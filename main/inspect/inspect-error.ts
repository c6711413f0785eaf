import { KeylineError } from '../../common/errors';

/**
 * Why the inspector could not read what it was given. Messages say what to do and never quote the
 * input: it may be a live token.
 */
export type InspectErrorCode =
  'INSPECT_TOKEN_EMPTY' | 'INSPECT_TOKEN_TOO_LARGE' | 'INSPECT_NOT_A_TOKEN' | 'INSPECT_TOKEN_MALFORMED';

export class InspectError extends KeylineError<InspectErrorCode> {
  constructor(code: InspectErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'InspectError';
  }
}
