import { createPrivateKey, createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { SignJWT, decodeProtectedHeader, jwtVerify, type JWTHeaderParameters, type JWTPayload } from 'jose';

export interface VerifiedToken {
  header: JWTHeaderParameters;
  payload: JWTPayload & Record<string, unknown>;
}

export type TokenProblem = 'malformed' | 'signature' | 'expired';

export class TokenVerificationError extends Error {
  constructor(readonly problem: TokenProblem) {
    super(`token ${problem}`);
  }
}

const CACHE_LIMIT = 10_000;

/**
 * Signs and verifies the simulator's JWTs with one ES256 key (the same key oidc-provider signs its
 * access tokens with, published at the JWKS endpoint). Verified tokens are cached by their text:
 * a cache hit still checks expiry against the simulator clock. The issuer is not checked: the key
 * belongs to one data directory, whose issuer URL may change with the port across restarts.
 */
export class TokenSigner {
  readonly kid: string;
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;
  private readonly cache = new Map<string, VerifiedToken>();

  constructor(jwk: JsonWebKey & { kid: string }) {
    this.kid = jwk.kid;
    this.privateKey = createPrivateKey({ key: jwk, format: 'jwk' });
    this.publicKey = createPublicKey(this.privateKey);
  }

  sign(claims: Record<string, unknown>): Promise<string> {
    return new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: this.kid, typ: 'JWT' }).sign(this.privateKey);
  }

  async verify(token: string, nowMs: number): Promise<VerifiedToken> {
    const cached = this.cache.get(token);
    if (cached) {
      checkExpiry(cached.payload, nowMs);
      return cached;
    }
    try {
      decodeProtectedHeader(token);
    } catch {
      throw new TokenVerificationError('malformed');
    }
    let verified: VerifiedToken;
    try {
      const result = await jwtVerify(token, this.publicKey, {
        algorithms: ['ES256'],
        currentDate: new Date(nowMs),
        clockTolerance: 0,
      });
      verified = { header: result.protectedHeader, payload: result.payload as VerifiedToken['payload'] };
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'ERR_JWT_EXPIRED') throw new TokenVerificationError('expired');
      if (code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED') throw new TokenVerificationError('signature');
      throw new TokenVerificationError('malformed');
    }
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    this.cache.set(token, verified);
    return verified;
  }
}

function checkExpiry(payload: JWTPayload, nowMs: number): void {
  if (typeof payload.exp === 'number' && payload.exp * 1000 <= nowMs) throw new TokenVerificationError('expired');
}
