import type { Handlers } from '../host/dispatcher';
import type { SecretRedactor } from '../security/secret-redactor';
import { decodeToken } from './token-decoder';

export interface InspectHandlerOptions {
  /** The station's redactor: a pasted token is held there for the length of the call. */
  redactor: SecretRedactor;
  /** The station's clock in milliseconds (expiry is judged against it). */
  now?: () => number;
}

export function inspectHandlers(options: InspectHandlerOptions): Pick<Handlers, 'inspect.decodeToken'> {
  return {
    'inspect.decodeToken': ({ token }) => decodeToken(token, { redactor: options.redactor, now: options.now }),
  };
}
