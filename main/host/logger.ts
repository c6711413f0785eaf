import { pino, type Logger as PinoLogger, type DestinationStream } from 'pino';
import type { SecretRedactor } from '../security/secret-redactor';

export type Logger = PinoLogger;

/** Field names that can hold a secret or a token anywhere in a log object. */
export const REDACTED_FIELDS = [
  'secret',
  'token',
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'idToken',
  'id_token',
  'password',
  'authorization',
  'Authorization',
  'code_verifier',
  'codeVerifier',
  'apiToken',
];

function redactPaths(): string[] {
  return REDACTED_FIELDS.flatMap((field) => [field, `*.${field}`, `*.*.${field}`, `headers.${field}`]);
}

export interface LoggerOptions {
  level?: string;
  destination?: DestinationStream;
  /** Replaces every secret the station holds in each serialised line, whatever field carries it. */
  redactor?: SecretRedactor;
}

/**
 * The station's one structured logger. Two layers of defence: known secret-bearing fields are
 * censored by path, and every written line passes through the redactor, which knows the actual
 * secret values the station holds.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const { redactor } = options;
  return pino(
    {
      level: options.level ?? process.env['KEYLINE_LOG_LEVEL'] ?? 'info',
      base: { app: 'keyline' },
      redact: { paths: redactPaths(), censor: '[REDACTED]' },
      hooks: redactor ? { streamWrite: (line: string) => redactor.redact(line) } : {},
    },
    options.destination ?? pino.destination({ dest: 2, sync: true }),
  );
}
