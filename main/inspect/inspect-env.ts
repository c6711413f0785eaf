import { KeylineError } from '../../common/errors';
import type { SecretRedactor } from '../security/secret-redactor';
import { tokenPlatformSource, type InspectPlatformSource } from './platform-access';

/**
 * The inspector's own platform for a station host (app or web host), from the environment: a
 * support desk or a headless line PC can run the Inspect screen with a scoped API token instead
 * of a technician's sign-in. Both must be set; then they win over the signed-in session for the
 * inspector only (provisioning still uses the session).
 */
export const INSPECT_ENV = { apiUrl: 'KEYLINE_INSPECT_API_URL', token: 'KEYLINE_INSPECT_TOKEN' } as const;

export function inspectPlatformFromEnv(
  env: NodeJS.ProcessEnv,
  redactor: SecretRedactor,
): InspectPlatformSource | undefined {
  const apiUrl = env[INSPECT_ENV.apiUrl]?.trim();
  const token = env[INSPECT_ENV.token]?.trim();
  if (!apiUrl && !token) return undefined;
  if (token) redactor.add(token);
  if (!apiUrl || !token) {
    throw new KeylineError(
      'INSPECT_ENV_INCOMPLETE',
      `Set both ${INSPECT_ENV.apiUrl} and ${INSPECT_ENV.token} (or neither, to use the signed-in session).`,
    );
  }
  return tokenPlatformSource({ apiUrl, token, redactor, origin: INSPECT_ENV.token });
}
