import { z } from 'zod';

/**
 * The platform's answers, as far as Keyline relies on them. Objects are loose (the real API adds
 * fields over time and with `_links`/`_embedded`), but every field Keyline reads is checked for
 * its type, and ids for the ObjectId form.
 */
export const ID_PATTERN = /^[A-Fa-f\d]{24}$/;
export const PlatformId = z.string().regex(ID_PATTERN);

export const DEVICE_CLASSES = [
  'standalone',
  'gateway',
  'peripheral',
  'floating',
  'edgeCompute',
  'system',
  'embedded',
] as const;
export const DeviceClass = z.enum(DEVICE_CLASSES);
export type DeviceClass = z.infer<typeof DeviceClass>;

/** Classes whose devices connect on their own and so may authenticate with an access key. */
export const CONNECTING_DEVICE_CLASSES: readonly DeviceClass[] = ['standalone', 'gateway', 'edgeCompute'];

export const ATTRIBUTE_DATA_TYPES = ['string', 'number', 'gps', 'boolean', 'blob'] as const;
export const AttributeDataType = z.enum(ATTRIBUTE_DATA_TYPES);
export type AttributeDataType = z.infer<typeof AttributeDataType>;

export const Tag = z.looseObject({ key: z.string(), value: z.string() });
export type Tag = z.infer<typeof Tag>;

export const DeviceAttribute = z.looseObject({
  name: z.string(),
  // A data type the platform adds later must not make every device unreadable.
  dataType: z.string(),
});
export type DeviceAttribute = z.infer<typeof DeviceAttribute>;

export const Status = z.enum(['active', 'inactive']);
export type Status = z.infer<typeof Status>;

export const Success = z.looseObject({ success: z.literal(true) });
export type Success = z.infer<typeof Success>;

/** A page of a collection: `{items, count, totalCount, perPage, page, ...}`. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.looseObject({
    items: z.array(item),
    count: z.number().int().nonnegative().optional(),
    totalCount: z.number().int().nonnegative().optional(),
    perPage: z.number().int().positive().optional(),
    page: z.number().int().nonnegative().optional(),
  });
}
export interface Page<T> {
  items: T[];
  count?: number | undefined;
  totalCount?: number | undefined;
  perPage?: number | undefined;
  page?: number | undefined;
}

export const Me = z.looseObject({
  id: PlatformId,
  userId: PlatformId.optional(),
  email: z.string(),
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  fullName: z.string().optional(),
});
export type Me = z.infer<typeof Me>;

export const OrgMember = z.looseObject({ userId: PlatformId, email: z.string().optional(), role: z.string() });
export type OrgMember = z.infer<typeof OrgMember>;

export const Org = z.looseObject({
  id: PlatformId,
  orgId: PlatformId.optional(),
  name: z.string(),
  members: z.array(OrgMember).optional(),
});
export type Org = z.infer<typeof Org>;
export const Orgs = pageOf(Org);

export const Application = z.looseObject({
  id: PlatformId,
  applicationId: PlatformId.optional(),
  ownerId: PlatformId,
  ownerType: z.enum(['user', 'organization']),
  name: z.string(),
});
export type Application = z.infer<typeof Application>;
export const Applications = pageOf(Application);

export const Device = z.looseObject({
  id: PlatformId,
  deviceId: PlatformId,
  applicationId: PlatformId,
  name: z.string(),
  description: z.string().nullable().optional(),
  deviceClass: DeviceClass,
  tags: z.array(Tag).default([]),
  attributes: z.array(DeviceAttribute).default([]),
  connectionInfo: z
    .looseObject({
      time: z.string().nullable().optional(),
      connected: z.union([z.literal([0, 1]), z.null()]).optional(),
    })
    .optional(),
  creationDate: z.string().optional(),
  lastUpdated: z.string().optional(),
});
export type Device = z.infer<typeof Device>;
export const Devices = pageOf(Device);

/** `POST /auth/device`: who the key authenticated and the device token (a credential). */
export const AuthedDevice = z.looseObject({
  applicationId: PlatformId,
  deviceId: PlatformId,
  deviceClass: DeviceClass,
  token: z.string().min(1),
  ownerType: z.enum(['user', 'organization']).optional(),
  filterType: z.string().optional(),
  pubTopics: z.array(z.string()).optional(),
  subTopics: z.array(z.string()).optional(),
});
export type AuthedDevice = z.infer<typeof AuthedDevice>;

export const StateValue = z.union([z.number(), z.string(), z.boolean(), z.null()]);
export type StateValue = z.infer<typeof StateValue>;

/** Last value and time per attribute. Time comes as an ISO string, a number or `{$date}`. */
export const CompositeState = z.record(
  z.string(),
  z.looseObject({
    value: StateValue.optional(),
    time: z.union([z.string(), z.number(), z.looseObject({ $date: z.string() })]).optional(),
  }),
);
export type CompositeState = z.infer<typeof CompositeState>;

export const DeviceLogEntry = z.looseObject({
  connected: z.literal([0, 1]),
  time: z.string(),
  disconnectReason: z.string().optional(),
  ipAddress: z.string().optional(),
  method: z.string().optional(),
});
export type DeviceLogEntry = z.infer<typeof DeviceLogEntry>;
export const DeviceLog = z.array(DeviceLogEntry);

/**
 * An access key as listed and read: never with its secret. `deviceIds` and `deviceTags` stay
 * undefined when absent (a key with neither works for every device: see `keyReach`).
 */
export const ApplicationKey = z.looseObject({
  id: PlatformId,
  applicationKeyId: PlatformId,
  applicationId: PlatformId,
  key: z.string().min(1),
  status: Status,
  name: z.string().optional(),
  description: z.string().nullable().optional(),
  deviceIds: z.array(PlatformId).optional(),
  deviceTags: z.array(z.looseObject({ key: z.string().optional(), value: z.string().optional() })).optional(),
  creationDate: z.string().optional(),
  createdById: z.string().optional(),
  createdByType: z.string().optional(),
});
export type ApplicationKey = z.infer<typeof ApplicationKey>;
export const ApplicationKeys = pageOf(ApplicationKey);

/** The answer to a key create: the only time the platform ever shows the secret. */
export const CreatedApplicationKey = ApplicationKey.extend({ secret: z.string().min(1) });
export type CreatedApplicationKey = z.infer<typeof CreatedApplicationKey>;

export const ApiToken = z.looseObject({
  id: PlatformId,
  apiTokenId: PlatformId,
  ownerId: PlatformId.optional(),
  ownerType: z.string().optional(),
  creatorId: PlatformId.optional(),
  creatorType: z.string().optional(),
  creatorName: z.string().optional(),
  name: z.string(),
  description: z.string().nullable().optional(),
  creationDate: z.string().optional(),
  expirationDate: z.string().nullable().optional(),
  scope: z.array(z.string()),
  status: Status,
});
export type ApiToken = z.infer<typeof ApiToken>;
export const ApiTokens = pageOf(ApiToken);

export const CreatedApiToken = ApiToken.extend({ token: z.string().min(1) });
export type CreatedApiToken = z.infer<typeof CreatedApiToken>;

export const UserApiToken = ApiToken.extend({
  defaultRole: z.string().optional(),
  orgRoles: z.array(z.looseObject({ orgId: PlatformId, role: z.string() })).optional(),
});
export type UserApiToken = z.infer<typeof UserApiToken>;
export const UserApiTokens = pageOf(UserApiToken);
export const CreatedUserApiToken = UserApiToken.extend({ token: z.string().min(1) });
export type CreatedUserApiToken = z.infer<typeof CreatedUserApiToken>;

/** A user's OAuth token (from sign-in): like an API token, plus the client it was granted to. */
export const OAuthToken = z.looseObject({
  id: PlatformId,
  // The answer names the id `oauthTokenId` (some versions also `apiTokenId`): neither is relied on.
  oauthTokenId: PlatformId.optional(),
  apiTokenId: PlatformId.optional(),
  ownerId: PlatformId.optional(),
  name: z.string().optional(),
  description: z.string().nullable().optional(),
  creationDate: z.string().optional(),
  expirationDate: z.string().nullable().optional(),
  scope: z.array(z.string()),
  status: Status,
  defaultRole: z.string().optional(),
  orgRoles: z.array(z.looseObject({ orgId: PlatformId, role: z.string() })).optional(),
  oauth: z.looseObject({
    client_id: z.string(),
    client_name: z.string().optional(),
    redirect_uri: z.string().optional(),
    authorizationStatus: z.enum(['pending', 'authorized']),
  }),
});
export type OAuthToken = z.infer<typeof OAuthToken>;
export const OAuthTokens = pageOf(OAuthToken);
