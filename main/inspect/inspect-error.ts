import { KeylineError } from '../../common/errors';

/**
 * Why the inspector could not read what it was given. Messages say what to do and never quote the
 * input: it may be a live token.
 */
export type InspectErrorCode =
  | 'INSPECT_TOKEN_EMPTY'
  | 'INSPECT_TOKEN_TOO_LARGE'
  | 'INSPECT_NOT_A_TOKEN'
  | 'INSPECT_TOKEN_MALFORMED'
  /** No platform to look things up on: nobody signed in and no API token given to the station. */
  | 'INSPECT_NO_PLATFORM'
  /** A lookup needs an application and none was given or chosen. */
  | 'INSPECT_NO_APPLICATION'
  /** The device id is in none of the applications this session can see. */
  | 'INSPECT_DEVICE_NOT_FOUND'
  /** An action was not done because its journal record could not be written. */
  | 'INSPECT_JOURNAL_UNAVAILABLE';

export class InspectError extends KeylineError<InspectErrorCode> {
  constructor(code: InspectErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'InspectError';
  }
}
