import type { Capability } from './authz/roles';
import type { SimClock } from './model/clock';
import type { PlatformStore } from './model/store';
import type { DeviceClass, Role } from './model/types';
import type { SecretHasher } from './security/server-keys';
import type { TokenSigner } from './security/token-signer';
import type { RateLimiter } from './sim/rate-limit';
/**
 * How the simulator behaves where the platform's public documentation is silent or where tests need
 * a knob. Every field has a default (see `resolveSettings`); docs/platform-simulator.md lists them.
 */
export interface SimulatorSettings {
    /** Lifetime of OAuth access tokens, in seconds (default 1800). */
    accessTokenTtlSeconds: number;
    /** Lifetime of OAuth refresh tokens, renewed at each rotation (default 365 days). */
    refreshTokenTtlSeconds: number;
    /** Status for a call the token's scope or the user's role does not allow (default 401). */
    missingScopeStatus: 401 | 403;
    /** State reports allowed per device per window (default 30 per 15 s). */
    stateRateLimit: {
        reports: number;
        windowSeconds: number;
    };
    /** Device tokens stop working when their access key is made inactive or deleted (default true). */
    deviceTokensFollowKeyStatus: boolean;
    /** OAuth tokens still waiting for the code exchange are removed after this long (default 24 h). */
    pendingOauthTokenTtlSeconds: number;
    /** Lowest organization role for each capability. */
    roleRequirements: Record<Capability, Role>;
    /** Device classes that may authenticate with `/auth/device` (default standalone, gateway, edgeCompute). */
    connectableDeviceClasses: DeviceClass[];
    /** Expiry given to API tokens created without `expirationDate`, in seconds; null = never (default). */
    apiTokenDefaultLifetimeSeconds: number | null;
    /** Whether the login page offers one-click buttons for the seeded demo users (default true). */
    demoLogins: boolean;
}
export declare const DEFAULT_SETTINGS: SimulatorSettings;
/** What OAuth exposes to the REST side once the provider runs. */
export interface OauthControl {
    /** Revokes every artifact of a grant (refresh tokens, codes) and the grant itself. */
    revokeGrant(grantId: string): Promise<void>;
}
/** Everything a request handler needs, built once per running simulator. */
export interface SimContext {
    /** Base URL, also the token issuer and the OAuth access tokens' audience. */
    issuer: string;
    store: PlatformStore;
    clock: SimClock;
    signer: TokenSigner;
    hasher: SecretHasher;
    settings: SimulatorSettings;
    rateLimiter: RateLimiter;
    oauth: OauthControl;
}
