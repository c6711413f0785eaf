import { type JsonWebKey } from 'node:crypto';
/**
 * The simulator's own keys: the HMAC key under which access key secrets and passwords are stored,
 * the ES256 key that signs every token (REST tokens and oidc-provider's), and oidc-provider's
 * cookie keys. With `--data DIR` they are kept in a file of their own so that a restart keeps
 * issued tokens and keys valid.
 */
export interface ServerKeys {
    hmacKey: string;
    signingJwk: JsonWebKey & {
        kid: string;
    };
    cookieKeys: string[];
}
export declare function generateServerKeys(): ServerKeys;
export declare function isServerKeys(value: unknown): value is ServerKeys;
/**
 * HMAC-SHA-256 under the server key. Access key secrets are ≥128 random bits, so a fast keyed hash
 * is the right tool here (a slow password hash would only cost throughput); `purpose` keeps the
 * secret and password domains apart.
 */
export declare class SecretHasher {
    private readonly key;
    constructor(hmacKey: string);
    hash(purpose: 'access-key-secret' | 'password' | 'seed-secret', value: string): string;
    matches(purpose: 'access-key-secret' | 'password', value: string, expected: string): boolean;
}
