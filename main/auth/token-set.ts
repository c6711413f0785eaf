import type * as oauth from 'oauth4webapi';
import { RoleCap } from '../../common/contract/auth';

/** What a token endpoint gave: the access token stays in memory, the refresh token goes to the keychain. */
export interface TokenSet {
  accessToken: string;
  refreshToken: string | undefined;
  /** Epoch ms. */
  expiresAt: number;
  scopes: string[];
  roleCap: RoleCap | null;
}

/** Without `expires_in` a token is assumed to live this long, so that it is renewed rather than trusted forever. */
const ASSUMED_LIFETIME_MS = 5 * 60_000;

/**
 * The role cap the consent page set, read from the access token's claims when it is a JWT (RFC 9068).
 * For display only: the platform enforces the cap, the station does not rely on this.
 */
export function readRoleCap(accessToken: string): RoleCap | null {
  const payload = accessToken.split('.')[1];
  if (!payload || accessToken.split('.').length !== 3) return null;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { roleCap?: unknown };
    const parsed = RoleCap.safeParse(claims.roleCap);
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function toTokenSet(response: oauth.TokenEndpointResponse, requestedScopes: string, now: number): TokenSet {
  const lifetime = typeof response.expires_in === 'number' ? response.expires_in * 1000 : ASSUMED_LIFETIME_MS;
  const granted = typeof response.scope === 'string' && response.scope.trim() ? response.scope : requestedScopes;
  return {
    accessToken: response.access_token,
    refreshToken: typeof response.refresh_token === 'string' ? response.refresh_token : undefined,
    expiresAt: now + lifetime,
    // Server-provided: keep it to what the contract carries (50 scope names of at most 100 characters).
    scopes: granted
      .split(/\s+/)
      .filter((scope) => scope.length > 0 && scope.length <= 100)
      .slice(0, 50),
    roleCap: readRoleCap(response.access_token),
  };
}
