import type { ErrorInfo } from './errors';

/**
 * Across the contract, results are values, not exceptions: Electron IPC keeps only the message of
 * a thrown error, so the code would be lost.
 */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(code: string, message: string): Result<T> {
  return { ok: false, error: { code, message } };
}
