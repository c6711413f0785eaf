import { type JsonWebKey } from 'node:crypto';
import { type JWTHeaderParameters, type JWTPayload } from 'jose';
export interface VerifiedToken {
    header: JWTHeaderParameters;
    payload: JWTPayload & Record<string, unknown>;
}
export type TokenProblem = 'malformed' | 'signature' | 'expired';
export declare class TokenVerificationError extends Error {
    readonly problem: TokenProblem;
    constructor(problem: TokenProblem);
}
/**
 * Signs and verifies the simulator's JWTs with one ES256 key (the same key oidc-provider signs its
 * access tokens with, published at the JWKS endpoint). Verified tokens are cached by their text:
 * a cache hit still checks expiry against the simulator clock. The issuer is not checked: the key
 * belongs to one data directory, whose issuer URL may change with the port across restarts.
 */
export declare class TokenSigner {
    readonly kid: string;
    private readonly privateKey;
    private readonly publicKey;
    private readonly cache;
    constructor(jwk: JsonWebKey & {
        kid: string;
    });
    sign(claims: Record<string, unknown>): Promise<string>;
    verify(token: string, nowMs: number): Promise<VerifiedToken>;
}
