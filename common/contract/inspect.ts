import { z } from 'zod';
import { defineMethod, noArgs } from './define';
import { Diagnosis, DiagnoseArgs, SerialInspectArgs, SerialInspection } from './inspect-device';
import {
  AccessKeyView,
  ActionArgs,
  ActionOutcome,
  ActionPreview,
  ApiTokenView,
  DeviceDetail,
  DeviceGetArgs,
  DeviceListArgs,
  DeviceSummary,
  InspectAccess,
  listOf,
  LookupArgs,
  OauthTokenView,
} from './inspect-platform';

export * from './inspect-platform';
export * from './inspect-device';

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
  'inspect.access': defineMethod({
    summary:
      'Who platform lookups run as (the signed-in session or an API token given to the station), where, and ' +
      'which lookups and actions its scopes and role allow: the screen hides the rest.',
    args: LookupArgs,
    result: InspectAccess,
  }),
  'inspect.apiTokens.list': defineMethod({
    summary: "An application's API tokens: name, scope in plain words, creator, expiration, status.",
    args: LookupArgs,
    result: listOf(ApiTokenView),
  }),
  'inspect.keys.list': defineMethod({
    summary: "An application's access keys: key, description, device restriction, status, created by and when.",
    args: LookupArgs,
    result: listOf(AccessKeyView),
  }),
  'inspect.oauthTokens.list': defineMethod({
    summary: "The signed-in user's OAuth tokens: client, role cap, created, status, pending.",
    args: noArgs,
    result: listOf(OauthTokenView),
  }),
  'inspect.devices.list': defineMethod({
    summary: "An application's devices (name glob filter): class, whether it may connect, tags, last activity.",
    args: DeviceListArgs,
    result: listOf(DeviceSummary),
  }),
  'inspect.device.get': defineMethod({
    summary: 'One device: class in plain words, tags, connection log, last state, and the access keys that let it in.',
    args: DeviceGetArgs,
    result: DeviceDetail,
  }),
  'inspect.action.preview': defineMethod({
    summary: 'What a deactivate, reactivate or delete would stop (or restart), for the confirmation; changes nothing.',
    args: ActionArgs,
    result: ActionPreview,
  }),
  'inspect.action.run': defineMethod({
    summary:
      'Deactivate, reactivate or delete an access key, API token or OAuth token, journaled. A refusal for lack of ' +
      'scope or role is an answer ("not allowed for you", with the reason), not an error.',
    args: ActionArgs,
    result: ActionOutcome,
  }),
  'inspect.device.serial': defineMethod({
    summary:
      "Ask a device on a serial port who it is and what it holds (hello), next to its platform record and its key's status.",
    args: SerialInspectArgs,
    result: SerialInspection,
  }),
  'inspect.diagnose': defineMethod({
    summary:
      "Why can't this device connect? Checks each cause for a device on a serial port or by device id, and says " +
      'which hold, with the fix.',
    args: DiagnoseArgs,
    result: Diagnosis,
  }),
} as const;
