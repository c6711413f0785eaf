import { type PlatformState } from '../model/types';
import type { SecretHasher } from '../security/server-keys';
import type { SeedSpec } from './spec';
/** Stable ids for a seed's objects. */
export declare function seedIds(spec: SeedSpec): {
    user: (key: string) => string;
    org: (key: string) => string;
    application: (key: string) => string;
    device: (key: string) => string;
    accessKey: (key: string) => string;
    apiToken: (key: string) => string;
};
/**
 * The secret of a seeded access key: derived from the server key rather than stored, so `/__sim/seed`
 * can show it after a restart while the state file still holds only its HMAC.
 */
export declare function seededSecret(hasher: SecretHasher, keyId: string): string;
/** Builds the platform state a seed describes, as of `nowMs`. */
export declare function applySeed(spec: SeedSpec, hasher: SecretHasher, nowMs: number): PlatformState;
