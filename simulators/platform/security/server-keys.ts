import {
  createHmac,
  generateKeyPairSync,
  randomBytes,
  randomUUID,
  timingSafeEqual,
  type JsonWebKey,
} from 'node:crypto';

/**
 * The simulator's own keys: the HMAC key under which access key secrets and passwords are stored,
 * the ES256 key that signs every token (REST tokens and oidc-provider's), and oidc-provider's
 * cookie keys. With `--data DIR` they are kept in a file of their own so that a restart keeps
 * issued tokens and keys valid.
 */
export interface ServerKeys {
  hmacKey: string;
  signingJwk: JsonWebKey & { kid: string };
  cookieKeys: string[];
}

export function generateServerKeys(): ServerKeys {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = privateKey.export({ format: 'jwk' });
  return {
    hmacKey: randomBytes(32).toString('base64url'),
    signingJwk: { ...jwk, kid: randomUUID(), alg: 'ES256', use: 'sig' } as JsonWebKey & { kid: string },
    cookieKeys: [randomBytes(32).toString('base64url')],
  };
}

export function isServerKeys(value: unknown): value is ServerKeys {
  const candidate = value as Partial<ServerKeys> | null;
  return (
    typeof candidate?.hmacKey === 'string' &&
    typeof candidate.signingJwk === 'object' &&
    typeof candidate.signingJwk?.kid === 'string' &&
    Array.isArray(candidate.cookieKeys)
  );
}

/**
 * HMAC-SHA-256 under the server key. Access key secrets are ≥128 random bits, so a fast keyed hash
 * is the right tool here (a slow password hash would only cost throughput); `purpose` keeps the
 * secret and password domains apart.
 */
export class SecretHasher {
  private readonly key: Buffer;

  constructor(hmacKey: string) {
    this.key = Buffer.from(hmacKey, 'base64url');
  }

  hash(purpose: 'access-key-secret' | 'password' | 'seed-secret', value: string): string {
    return createHmac('sha256', this.key).update(purpose).update('\0').update(value).digest('base64url');
  }

  matches(purpose: 'access-key-secret' | 'password', value: string, expected: string): boolean {
    const actual = Buffer.from(this.hash(purpose, value), 'base64url');
    const wanted = Buffer.from(expected, 'base64url');
    return actual.length === wanted.length && timingSafeEqual(actual, wanted);
  }
}
