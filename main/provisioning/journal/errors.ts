import { KeylineError } from '../../../common/errors';

export type JournalErrorCode =
  /** A record would have carried a secret (by field name or by value): nothing was written. */
  | 'JOURNAL_SECRET_REFUSED'
  /** A record does not match the schema: nothing was written. */
  | 'JOURNAL_INVALID_RECORD'
  /** The journal cannot be continued safely (see the message for what to run). */
  | 'JOURNAL_DAMAGED'
  /** Appending after close(). */
  | 'JOURNAL_CLOSED'
  /** A second writer for the same data directory in this process. */
  | 'JOURNAL_ALREADY_OPEN'
  /** Appending needs the data-dir lock, and it is not held. */
  | 'JOURNAL_LOCK_REQUIRED'
  /** No journal in the chosen data directory. */
  | 'JOURNAL_NOT_FOUND';

export class JournalError extends KeylineError<JournalErrorCode> {
  constructor(code: JournalErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'JournalError';
  }
}
