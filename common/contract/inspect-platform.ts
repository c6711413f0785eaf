import { z } from 'zod';

/**
 * The inspector's platform lookups and actions (issue 8 §2, §5): what the window sees of API
 * tokens, access keys, OAuth tokens and devices. Never a secret, never a token string.
 */

export const InspectPlatformId = z.string().regex(/^[A-Fa-f\d]{24}$/, 'a 24-hex platform id');
const Text = z.string().max(2000);
const Short = z.string().max(500);
const Time = z.string().max(64);

/** What the session may do here, as far as its scopes (and, when known, its role) say. */
export const InspectPermissions = z.strictObject({
  readDevices: z.boolean(),
  readKeys: z.boolean(),
  manageKeys: z.boolean(),
  readApiTokens: z.boolean(),
  manageApiTokens: z.boolean(),
  readOauthTokens: z.boolean(),
  manageOauthTokens: z.boolean(),
});
export type InspectPermissions = z.infer<typeof InspectPermissions>;

/** Who the lookups run as, where, and what they may do. */
export const InspectAccess = z.strictObject({
  /** The signed-in session, an API token given to this station, or nothing usable. */
  source: z.enum(['session', 'apiToken', 'none']),
  who: Short,
  apiUrl: Short.nullable(),
  /** The application lookups default to (the session's chosen one, or the API token's own). */
  application: z.strictObject({ id: InspectPlatformId, name: Short.nullable() }).nullable(),
  scopes: z.array(z.string().max(100)).max(100),
  /** The lower of the session's role cap and the user's role in the application's organization, when known. */
  role: z.enum(['admin', 'edit', 'collaborate', 'view', 'none']).nullable(),
  can: InspectPermissions,
  /** True when no change (deactivate, reactivate, delete) is allowed: support roles. */
  readOnly: z.boolean(),
  /** Plain words about what is hidden and why. */
  notes: z.array(Text).max(10),
  /** Why nothing can be looked up (signed out, no platform configured), when that is so. */
  problem: z.strictObject({ code: z.string().max(64), message: Text }).nullable(),
});
export type InspectAccess = z.infer<typeof InspectAccess>;

const Status = z.enum(['active', 'inactive']);

export const ApiTokenView = z.strictObject({
  id: InspectPlatformId,
  name: Short,
  description: Text.nullable(),
  scopes: z.array(z.string().max(100)).max(200),
  /** "All permissions in the application", "Read only", "Custom: 3 actions (…)". */
  scopeSummary: Text,
  /** The person or token that created it. */
  creator: Short,
  createdAt: Time.nullable(),
  expiresAt: Time.nullable(),
  /** "Never", "In 3 days, at …", "Expired 2 days ago, at …". */
  expiry: Short,
  expired: z.boolean(),
  status: Status,
});
export type ApiTokenView = z.infer<typeof ApiTokenView>;

export const KeyRestriction = z.strictObject({
  kind: z.enum(['devices', 'tags', 'application']),
  deviceIds: z.array(InspectPlatformId).max(1000),
  tags: z.array(z.strictObject({ key: Short, value: Short.nullable() })).max(100),
  /** "Only device 65f…", "Devices tagged line=3", "Every device of the application". */
  words: Text,
});
export type KeyRestriction = z.infer<typeof KeyRestriction>;

export const AccessKeyView = z.strictObject({
  id: InspectPlatformId,
  /** The public half of the access key (never the secret). */
  key: Short,
  name: Short.nullable(),
  description: Text.nullable(),
  restriction: KeyRestriction,
  status: Status,
  createdBy: Short.nullable(),
  createdAt: Time.nullable(),
});
export type AccessKeyView = z.infer<typeof AccessKeyView>;

export const OauthTokenView = z.strictObject({
  id: InspectPlatformId,
  name: Short.nullable(),
  clientId: Short,
  clientName: Short.nullable(),
  /** The default maximum role the token may use. */
  roleCap: Short.nullable(),
  scopes: z.array(z.string().max(100)).max(100),
  scopeSummary: Text,
  createdAt: Time.nullable(),
  expiresAt: Time.nullable(),
  status: Status,
  /** The authorization was started but the application never finished it (removed after 24 h). */
  pending: z.boolean(),
  /** This is the station's own sign-in. */
  thisStation: z.boolean(),
});
export type OauthTokenView = z.infer<typeof OauthTokenView>;

export const DeviceSummary = z.strictObject({
  id: InspectPlatformId,
  name: Short,
  deviceClass: Short,
  /** Whether devices of this class may authenticate themselves (standalone, gateway, edgeCompute). */
  canConnect: z.boolean(),
  tags: z.array(z.strictObject({ key: Short, value: Short })).max(100),
  connected: z.boolean().nullable(),
  lastActivity: Time.nullable(),
});
export type DeviceSummary = z.infer<typeof DeviceSummary>;

export const ConnectionLogEntry = z.strictObject({
  time: Time,
  connected: z.boolean(),
  /** The platform's reason for a refused or ended connection, as it gave it. */
  reason: Short.nullable(),
  method: Short.nullable(),
  ipAddress: Short.nullable(),
});
export type ConnectionLogEntry = z.infer<typeof ConnectionLogEntry>;

export const DeviceDetail = z.strictObject({
  device: DeviceSummary,
  applicationId: InspectPlatformId,
  description: Text.nullable(),
  /** What the class means for connecting, in plain words. */
  classWords: Text,
  connectionLog: z.array(ConnectionLogEntry).max(100),
  /** The last value of each attribute; null when the session may not read it. */
  lastState: z
    .array(z.strictObject({ attribute: Short, value: Short, time: Time.nullable() }))
    .max(200)
    .nullable(),
  /** Access keys that let this device in; null when the session may not read keys. */
  keys: z.array(AccessKeyView).max(200).nullable(),
  notes: z.array(Text).max(10),
});
export type DeviceDetail = z.infer<typeof DeviceDetail>;

export const InspectAction = z.enum(['deactivate', 'reactivate', 'delete']);
export type InspectAction = z.infer<typeof InspectAction>;

export const ActionTarget = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('accessKey'), applicationId: InspectPlatformId, id: InspectPlatformId }),
  z.strictObject({ kind: z.literal('apiToken'), applicationId: InspectPlatformId, id: InspectPlatformId }),
  z.strictObject({ kind: z.literal('oauthToken'), id: InspectPlatformId }),
]);
export type ActionTarget = z.infer<typeof ActionTarget>;

/** What the confirmation says before a change: what stops working, and for whom. */
export const ActionPreview = z.strictObject({
  title: Short,
  /** One sentence: what stops (or starts again) working. */
  consequence: Text,
  details: z.array(Text).max(20),
  confirmLabel: Short,
  /** Delete cannot be undone. */
  irreversible: z.boolean(),
  /** False when the session may not do it: `notAllowedReason` says why. */
  allowed: z.boolean(),
  notAllowedReason: Text.nullable(),
});
export type ActionPreview = z.infer<typeof ActionPreview>;

/**
 * How an action ended. A refusal by the platform for lack of scope or role (401/403) is an answer
 * ("not allowed for you", with the reason), not an error.
 */
export const ActionOutcome = z.strictObject({
  outcome: z.enum(['done', 'notAllowed']),
  message: Text,
  reason: Text.nullable(),
  journaled: z.boolean(),
});
export type ActionOutcome = z.infer<typeof ActionOutcome>;

const AppArg = { applicationId: InspectPlatformId.optional() };
export const LookupArgs = z.strictObject(AppArg);
export const DeviceListArgs = z.strictObject({ ...AppArg, filter: z.string().max(200).optional() });
export const DeviceGetArgs = z.strictObject({ ...AppArg, deviceId: InspectPlatformId });
export const ActionArgs = z.strictObject({ target: ActionTarget, action: InspectAction });

export const listOf = <T extends z.ZodType>(item: T) =>
  z.strictObject({
    applicationId: InspectPlatformId.nullable(),
    items: z.array(item).max(1000),
    /** More matched than are shown (the list stops at 1000). */
    truncated: z.boolean(),
  });
