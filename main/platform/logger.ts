/**
 * The slice of the station's pino logger the client uses (structurally compatible with it).
 * The client logs method, route, status, timing and error codes only: never headers or bodies.
 */
export interface PlatformLogger {
  debug(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

/** One HTTP exchange, reported to `onExchange` (benchmarks split platform time with these). */
export interface ExchangeRecord {
  method: string;
  /** Path template, such as `/applications/{applicationId}/keys`. */
  route: string;
  attempt: number;
  /** HTTP status, absent when no answer arrived. */
  status?: number;
  /** Error code when the attempt failed. */
  code?: string;
  ms: number;
}
