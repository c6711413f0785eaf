import type { AuthService } from '../auth';
import { PlatformClient, type TokenSource } from '../platform';
import type { SecretRedactor } from '../security/secret-redactor';
import { StationError } from './errors';

/** The application and client the Station screen's own platform calls use (details, tags, device care). */
export interface PlatformAccess {
  client: PlatformClient;
  applicationId: string;
  apiUrl: string;
  operator: string;
}

/**
 * Platform calls on the technician's session, to the application the batches provision into (the
 * pipeline's setting first, else the one chosen at sign-in). One client per API URL.
 */
export function platformAccess(
  auth: AuthService,
  redactor: SecretRedactor,
  settingsApplicationId: () => string | undefined,
): () => Promise<PlatformAccess> {
  const tokens: TokenSource = {
    getAccessToken: (signal) => auth.getAccessToken(signal),
    refreshAfterUnauthorized: (rejected, signal) => auth.refreshAfter401(rejected, signal),
  };
  let cached: { apiUrl: string; client: PlatformClient } | undefined;
  return async () => {
    const state = auth.state();
    if (state.status !== 'signedIn') {
      throw new StationError('NOT_SIGNED_IN', 'No one is signed in: sign in on the Settings screen first');
    }
    const { apiUrl, application } = await auth.target();
    const applicationId = settingsApplicationId() ?? application?.id;
    if (!applicationId) {
      throw new StationError('NO_APPLICATION', 'No application is chosen: pick one on the Settings screen');
    }
    if (cached?.apiUrl !== apiUrl) cached = { apiUrl, client: new PlatformClient({ apiUrl, tokens, redactor }) };
    return { client: cached.client, applicationId, apiUrl, operator: state.account.email };
  };
}
