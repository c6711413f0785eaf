import type { Handlers } from '../host/dispatcher';
import type { Logger } from '../host/logger';
import type { SecretRedactor } from '../security/secret-redactor';
import type { InspectService } from './inspect-service';
import { decodeToken } from './token-decoder';

export interface InspectHandlerOptions {
  /** The station's redactor: a pasted token is held there for the length of the call. */
  redactor: SecretRedactor;
  /** Records that a token was inspected and what it was, never the token itself. */
  logger?: Logger;
  /** The station's clock in milliseconds (expiry is judged against it). */
  now?: () => number;
}

type DecodeHandlers = Pick<Handlers, 'inspect.decodeToken'>;
type InspectMethod = Extract<keyof Handlers, `inspect.${string}`>;

export function decodeTokenHandlers(options: InspectHandlerOptions): DecodeHandlers {
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

/** Every `inspect.*` contract method: the token decoder, and the lookups, actions and diagnosis of the service. */
export function inspectHandlers(
  options: InspectHandlerOptions & { service: InspectService },
): Pick<Handlers, InspectMethod> {
  const { service } = options;
  return {
    ...decodeTokenHandlers(options),
    'inspect.access': ({ applicationId }, { signal }) => service.access(applicationId, signal),
    'inspect.apiTokens.list': ({ applicationId }, { signal }) => service.apiTokens(applicationId, signal),
    'inspect.keys.list': ({ applicationId }, { signal }) => service.keys(applicationId, signal),
    'inspect.oauthTokens.list': (_args, { signal }) => service.oauthTokens(signal),
    'inspect.devices.list': ({ applicationId, filter }, { signal }) => service.devices(applicationId, filter, signal),
    'inspect.device.get': ({ applicationId, deviceId }, { signal }) => service.device(deviceId, applicationId, signal),
    'inspect.action.preview': ({ target, action }, { signal }) => service.preview(target, action, signal),
    'inspect.action.run': ({ target, action }, { signal }) => service.run(target, action, signal),
    'inspect.device.serial': ({ port, applicationId }, { signal }) => service.serial(port, applicationId, signal),
    'inspect.diagnose': (args, { signal }) => service.diagnose(args, signal),
  };
}
