/**
 * Tokens for the inspector's tests, minted with jose and a generated ES256 key the way the
 * platform simulator issues them (briefing: "Token formats issued by the platform simulator").
 */
import { generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';

export const ISSUER = 'http://127.0.0.1/platform-sim';
export const DEVICE_ID = '5f0c1d2e3a4b5c6d7e8f9a0b';
export const APP_ID = '5e1a2b3c4d5e6f7a8b9c0d1e';
export const KEY_ID = '6a7b8c9d0e1f2a3b4c5d6e7f';
export const USER_ID = '5c9d8e7f6a5b4c3d2e1f0a9b';
export const API_TOKEN_ID = '6b1c2d3e4f5a6b7c8d9e0f1a';

let key: Promise<CryptoKey> | undefined;

function signingKey(): Promise<CryptoKey> {
  key ??= generateKeyPair('ES256').then((pair) => pair.privateKey);
  return key;
}

export async function mintJwt(claims: JWTPayload, header: { typ?: string; kid?: string } = {}): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({
      alg: 'ES256',
      kid: header.kid ?? 'sim-signing-key-1',
      ...(header.typ ? { typ: header.typ } : {}),
    })
    .sign(await signingKey());
}

const seconds = (ms: number) => Math.floor(ms / 1000);

/** A device token as `POST /auth/device` issues it: no `exp` unless a tokenTTL was asked for. */
export function mintDeviceToken(nowMs: number, ttlSeconds?: number): Promise<string> {
  return mintJwt({
    iss: ISSUER,
    sub: DEVICE_ID,
    subtype: 'device',
    scope: ['all.Device'],
    appId: APP_ID,
    keyId: KEY_ID,
    iat: seconds(nowMs),
    ...(ttlSeconds === undefined ? {} : { exp: seconds(nowMs) + ttlSeconds }),
  });
}

export function mintApplicationApiToken(nowMs: number, scope: string[], expSeconds?: number): Promise<string> {
  return mintJwt({
    iss: ISSUER,
    sub: API_TOKEN_ID,
    subtype: 'apiToken',
    scope,
    appId: APP_ID,
    iat: seconds(nowMs),
    ...(expSeconds === undefined ? {} : { exp: expSeconds }),
  });
}

export function mintUserApiToken(nowMs: number, scope: string[]): Promise<string> {
  return mintJwt({
    iss: ISSUER,
    sub: API_TOKEN_ID,
    subtype: 'userApiToken',
    scope,
    userId: USER_ID,
    iat: seconds(nowMs),
  });
}

/** An RFC 9068 access token as oidc-provider issues it for the station's client. */
export function mintOauthAccessToken(
  nowMs: number,
  ttlSeconds: number,
  scope = 'all.Application.bounded only.User.read',
) {
  return mintJwt(
    {
      iss: ISSUER,
      sub: USER_ID,
      client_id: 'keyline-station',
      scope,
      aud: 'http://127.0.0.1/platform-sim/api',
      jti: 'Zq3vY0mJc9c7W0b1x2y3z',
      iat: seconds(nowMs),
      exp: seconds(nowMs) + ttlSeconds,
      roleCap: 'collaborate',
    },
    { typ: 'at+jwt' },
  );
}

const base64url = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** A hand-made compact token: for unsigned, odd or broken tokens no library would sign. */
export function handMadeJwt(header: unknown, claims: unknown, signature = ''): string {
  return `${base64url(header)}.${base64url(claims)}.${signature}`;
}
