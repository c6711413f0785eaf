import type { Handlers } from '../host/dispatcher';
import type { Logger } from '../host/logger';
import type { SecretRedactor } from '../security/secret-redactor';
import { decodeToken } from './token-decoder';

export interface InspectHandlerOptions {
  /** The station's redactor: a pasted token is held there for the length of the call. */
  redactor: SecretRedactor;
  /** Records that a token was inspected and what it was, never the token itself. */
  logger?: Logger;
  /** The station's clock in milliseconds (expiry is judged against it). */
  now?: () => number;
}

export function inspectHandlers(options: InspectHandlerOptions): Pick<Handlers, 'inspect.decodeToken'> {
  return {
    'inspect.decodeToken': ({ token }) => {
      const decoded = decodeToken(token, { redactor: options.redactor, now: options.now });
      options.logger?.info(
        { kind: decoded.kind, format: decoded.format, warnings: decoded.warnings.map((warning) => warning.code) },
        'inspected a token',
      );
      return decoded;
    },
  };
}
