/**
 * One base error for the whole station. Every failure that crosses a module boundary is a
 * `KeylineError` with a stable `code` (a string a test or a script can match on) and a `message`
 * a technician can act on. Areas define their own code unions and may subclass this.
 *
 * Messages must never contain a secret or a token: callers build them from ids and statuses only.
 */
export class KeylineError<Code extends string = string> extends Error {
  readonly code: Code;

  constructor(code: Code, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KeylineError';
    this.code = code;
  }
}

/** Codes of the contract itself (transport, validation, dispatch). */
export type ContractErrorCode =
  | 'CONTRACT_UNKNOWN_METHOD'
  | 'CONTRACT_INVALID_ARGUMENT'
  | 'CONTRACT_INVALID_RESULT'
  | 'CONTRACT_MALFORMED_MESSAGE'
  | 'CONTRACT_UNTRUSTED_SENDER'
  | 'CONTRACT_DISCONNECTED'
  | 'CONTRACT_TIMEOUT'
  | 'INTERNAL';

/** The serialisable shape of an error as it crosses the contract. */
export interface ErrorInfo {
  code: string;
  message: string;
}

export function isKeylineError(value: unknown): value is KeylineError {
  return value instanceof KeylineError;
}
