/**
 * Technician sign-in (OAuth 2.0 for a native app). What other folders may use:
 *
 * - `AuthService`: built once by the composition root. It is also the station's
 *   `AccessTokenProvider`: `getAccessToken(signal)` gives a bearer token for the active profile
 *   (renewed first when close to expiry, one renewal at a time across lanes and across Keyline
 *   processes); after a 401, `refreshAfter401(rejectedToken, signal)` gives a renewed token to
 *   retry once with. Both throw `AuthError` `AUTH_SIGNED_OUT` / `AUTH_SESSION_ENDED` when the
 *   technician must sign in again (never a loop), `AUTH_NETWORK` when the OAuth server is unreachable.
 *   `refreshAfterUnauthorized(rejectedToken, signal)` is the same renewal answering undefined when
 *   the session is over: with `getAccessToken` it is the platform client's `TokenSource`.
 * - `target()`: the active profile's API URL and the application the technician chose.
 * - `authHandlers(service)`: the contract methods `auth.*`.
 * - `AccountDirectory`: the `GET /me`, `/orgs`, `/applications` interface the shared platform
 *   client can implement (pass it as `accountDirectory`).
 */
export { AuthService, type AuthServiceOptions } from './auth-service';
export { authHandlers } from './auth-handlers';
export { AuthError, isAuthError, type AuthErrorCode } from './auth-error';
export type { AccessTokenProvider } from './session';
export type { AccountDirectory, PlatformApplication, PlatformOrganization, PlatformUser } from './account-directory';
export { KeytarSecretStore, MemorySecretStore, KEYCHAIN_SERVICE, type SecretStore } from './secret-store';
export { SANDBOX_PROFILE_ID, type BuiltInProfile } from './profile-store';
export type { OpenExternal } from './sign-in-flows';
export { systemClock, type Clock } from './clock';
