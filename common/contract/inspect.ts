import { z } from 'zod';
import { defineMethod } from './define';

/** The largest token the inspector accepts, in characters. Real platform tokens are well under 2 KiB. */
export const INSPECT_TOKEN_MAX_LENGTH = 16 * 1024;

/** What a decoded token is, as far as its (unverified) header and claims say. */
export const TokenKind = z.enum([
  'device',
  'applicationApi',
  'userApi',
  /** An API token whose claims do not say whether an application or a user owns it. */
  'api',
  'oauthAccess',
  /** A user's own sign-in token (`subtype: "user"`): everything the user may do. */
  'userSession',
  /** An experience user's token: experience endpoints only, not the platform API. */
  'experienceUser',
  /** A JWT whose claims match no platform token. */
  'unknown',
  /** Not a JWT: an opaque string only the platform can look up. */
  'opaque',
  /** An encrypted JWT (JWE): the claims need the issuer's key. */
  'encrypted',
]);
export type TokenKind = z.infer<typeof TokenKind>;

export const TokenWarningCode = z.enum([
  'SIGNATURE_NOT_VERIFIED',
  'UNSIGNED',
  'EXPIRED',
  'EXPIRES_SOON',
  'NEVER_EXPIRES',
  'NOT_YET_VALID',
  'ISSUED_IN_FUTURE',
  'BAD_TIME_CLAIM',
  'BROADER_THAN_NEEDED',
  'NO_SCOPES',
  'UNKNOWN_SCOPES',
  'NOT_FOR_PLATFORM_API',
  'NOT_A_JWT',
  'ENCRYPTED',
]);
export type TokenWarningCode = z.infer<typeof TokenWarningCode>;

export const TokenWarning = z.strictObject({
  code: TokenWarningCode,
  /** `danger`: the token does not work or is risky as is; `warning`: act soon; `info`: good to know. */
  severity: z.enum(['danger', 'warning', 'info']),
  message: z.string().max(2000),
});
export type TokenWarning = z.infer<typeof TokenWarning>;

export const TokenFact = z.strictObject({ label: z.string().max(100), value: z.string().max(500) });
export type TokenFact = z.infer<typeof TokenFact>;

export const TokenSubject = z.strictObject({
  /** One sentence: "Device 5f… in application 5e…". */
  summary: z.string().max(1000),
  facts: z.array(TokenFact).max(20),
});
export type TokenSubject = z.infer<typeof TokenSubject>;

export const TokenTimes = z.strictObject({
  status: z.enum(['valid', 'expiresSoon', 'expired', 'neverExpires', 'notYetValid', 'unknown']),
  /** ISO 8601 times, from the `iat`, `nbf` and `exp` claims. */
  issuedAt: z.string().optional(),
  notBefore: z.string().optional(),
  expiresAt: z.string().optional(),
  /** Seconds until expiry; negative once expired. */
  expiresInSeconds: z.number().optional(),
  /** The same in words: "2 days ago, at 2025-03-12T09:00:00.000Z". */
  issued: z.string().optional(),
  /** "Never", "In 2 h, at …", "Expired 3 days ago, at …" or "Unknown: …". */
  expiry: z.string(),
  /** The station's clock when the token was judged. */
  checkedAt: z.string(),
});
export type TokenTimes = z.infer<typeof TokenTimes>;

const ScopeDescriptionSchema = z.strictObject({
  scope: z.string(),
  kind: z.enum(['group', 'resource', 'call', 'unknown']),
  title: z.string(),
  summary: z.string(),
  can: z.array(z.string()),
  cannot: z.array(z.string()),
  thirdParty: z.boolean(),
});

export const ScopeExplanationSchema = z.strictObject({
  scopes: z.array(ScopeDescriptionSchema),
  can: z.array(z.string()),
  cannot: z.array(z.string()),
  broaderThan: z
    .strictObject({
      scopes: z.array(z.string()),
      suggested: z.array(z.string()),
      categories: z.array(z.enum(['apiTokens', 'members', 'transfer', 'credentials'])),
      reason: z.string(),
    })
    .optional(),
  unknown: z.array(z.string()),
});

/**
 * A token decoded without trusting it: header and claims as sent, what kind of token it is, whom
 * it belongs to, its scopes in plain words, its times and warnings. Never the token itself nor
 * its signature.
 */
export const DecodedToken = z.strictObject({
  format: z.enum(['jwt', 'jwe', 'opaque']),
  kind: TokenKind,
  kindLabel: z.string(),
  /** Always false: the inspector has no key to check a signature with, and says so. */
  signatureVerified: z.literal(false),
  header: z.record(z.string(), z.json()).nullable(),
  claims: z.record(z.string(), z.json()).nullable(),
  subject: TokenSubject,
  /** Null when the token carries no scopes Keyline can read. */
  scopes: ScopeExplanationSchema.nullable(),
  times: TokenTimes,
  warnings: z.array(TokenWarning),
  /** Length of the token in characters (after "Bearer " and surrounding spaces are removed). */
  length: z.number().int().nonnegative(),
});
export type DecodedToken = z.infer<typeof DecodedToken>;

export const inspectMethods = {
  'inspect.decodeToken': defineMethod({
    summary:
      'Decode a pasted token without trusting it: kind, owner, scopes in plain words, expiry and warnings. ' +
      'The token is held in main memory for the call only; it is never logged, stored or returned.',
    args: z.strictObject({ token: z.string().max(INSPECT_TOKEN_MAX_LENGTH) }),
    result: DecodedToken,
  }),
} as const;
