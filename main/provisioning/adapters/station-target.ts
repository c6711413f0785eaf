import type { AccessTokenProvider } from '../../auth';
import { PlatformClient, type TokenSource } from '../../platform';
import type { SecretRedactor } from '../../security/secret-redactor';
import type { ProvisioningTarget } from '../service';
import { platformPort } from './platform-port';

/** The technician's OAuth session as the platform client's token source (refresh after a 401 included). */
export function sessionTokenSource(session: AccessTokenProvider): TokenSource {
  return {
    getAccessToken: (signal) => session.getAccessToken(signal),
    refreshAfterUnauthorized: (rejected, signal) => session.refreshAfter401(rejected, signal),
  };
}

/** A platform client per API URL, kept while the URL stays the same (connections are reused). */
export function platformTargetCache(redactor: SecretRedactor, tokens: TokenSource) {
  let cached: { apiUrl: string; client: PlatformClient } | undefined;
  return (apiUrl: string): PlatformClient => {
    if (cached?.apiUrl !== apiUrl) cached = { apiUrl, client: new PlatformClient({ apiUrl, tokens, redactor }) };
    return cached.client;
  };
}

/** Where the app's batches go: the signed-in profile's platform and the application chosen there. */
export function sessionTarget(
  auth: AccessTokenProvider & {
    target(): Promise<{ apiUrl: string; application: { id: string } | null }>;
    state(): { status: string; account?: { email: string } };
  },
  redactor: SecretRedactor,
): () => Promise<ProvisioningTarget> {
  const clientFor = platformTargetCache(redactor, sessionTokenSource(auth));
  return async () => {
    const { apiUrl, application } = await auth.target();
    const state = auth.state();
    return {
      platform: platformPort(clientFor(apiUrl)),
      ...(application ? { applicationId: application.id } : {}),
      operator: state.account?.email ?? 'unknown operator',
    };
  };
}
