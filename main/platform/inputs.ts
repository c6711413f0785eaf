import { z } from 'zod';
import { AttributeDataType, DeviceClass, PlatformId, Status } from './schemas';

/**
 * Request bodies. The platform validates them with `additionalProperties: false`, so they are
 * strict here too: a stray field is caught before it leaves the station, with a clear message.
 */
const TagInput = z.strictObject({ key: z.string().regex(/^[0-9a-zA-Z_-]{1,255}$/), value: z.string().min(1).max(255) });
const AttributeInput = z.strictObject({
  name: z.string().regex(/^[0-9a-zA-Z_-]{1,255}$/),
  dataType: AttributeDataType,
});

export const DeviceCreate = z.strictObject({
  name: z.string().min(1).max(255),
  description: z.string().max(32767).optional(),
  tags: z.array(TagInput).max(100).optional(),
  attributes: z.array(AttributeInput).max(256).optional(),
  deviceClass: DeviceClass.optional(),
});
export type DeviceCreate = z.input<typeof DeviceCreate>;

export const DevicePatch = DeviceCreate.partial();
export type DevicePatch = z.input<typeof DevicePatch>;

const StateReport = z.strictObject({
  data: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])),
  time: z.union([z.string(), z.number()]).optional(),
});
export const DeviceState = z.union([StateReport, z.array(StateReport).min(1)]);
export type DeviceState = z.input<typeof DeviceState>;

export const DeviceCredentials = z.strictObject({
  deviceId: PlatformId,
  key: z.string().min(1),
  secret: z.string().min(1),
  tokenTTL: z.number().int().positive().optional(),
  requestedScopes: z.array(z.string()).optional(),
});
export type DeviceCredentials = z.input<typeof DeviceCredentials>;

export const KeyCreate = z.strictObject({
  name: z.string().min(1).max(255).optional(),
  description: z.string().max(32767).optional(),
  deviceIds: z.array(PlatformId).max(1000).optional(),
  deviceTags: z.array(TagInput).max(100).optional(),
});
export type KeyCreate = z.input<typeof KeyCreate>;

export const KeyPatch = z.strictObject({
  status: Status.optional(),
  name: z.string().min(1).max(255).optional(),
  description: z.string().max(32767).optional(),
});
export type KeyPatch = z.input<typeof KeyPatch>;

export const ApiTokenCreate = z.strictObject({
  name: z.string().min(1).max(255),
  description: z.string().max(32767).optional(),
  expirationDate: z.string().optional(),
  scope: z.array(z.string().min(1)).min(1),
  status: Status.optional(),
});
export type ApiTokenCreate = z.input<typeof ApiTokenCreate>;

export const ApiTokenPatch = z.strictObject({
  name: z.string().min(1).max(255).optional(),
  description: z.string().max(32767).optional(),
  status: Status.optional(),
});
export type ApiTokenPatch = z.input<typeof ApiTokenPatch>;

const OrgRole = z.strictObject({ orgId: PlatformId, role: z.string().min(1) });

export const UserApiTokenCreate = ApiTokenCreate.extend({
  defaultRole: z.string().optional(),
  orgRoles: z.array(OrgRole).optional(),
});
export type UserApiTokenCreate = z.input<typeof UserApiTokenCreate>;

export const UserTokenPatch = ApiTokenPatch.extend({
  defaultRole: z.string().optional(),
  orgRoles: z.array(OrgRole).optional(),
});
export type UserTokenPatch = z.input<typeof UserTokenPatch>;

/** Sort and filter parameters common to the collections. */
const Paging = {
  page: z.number().int().nonnegative().optional(),
  perPage: z.number().int().min(1).max(1000).optional(),
  sortField: z.string().optional(),
  sortDirection: z.enum(['asc', 'desc']).optional(),
};

export const DeviceListQuery = z.strictObject({
  ...Paging,
  filterField: z.literal('name').optional(),
  /** A glob over the filter field: `keyline-*`. */
  filter: z.string().optional(),
  deviceClass: z.union([DeviceClass, z.array(DeviceClass)]).optional(),
  tagFilter: z.array(z.strictObject({ key: z.string().optional(), value: z.string().optional() })).optional(),
  /** Advanced device query (JSON); overrides the filters above on the platform. */
  query: z.record(z.string(), z.unknown()).optional(),
});
export type DeviceListQuery = z.input<typeof DeviceListQuery>;

export const KeyListQuery = z.strictObject({
  ...Paging,
  filterField: z.enum(['key', 'status', 'name']).optional(),
  filter: z.string().optional(),
});
export type KeyListQuery = z.input<typeof KeyListQuery>;

export const TokenListQuery = z.strictObject({
  ...Paging,
  filterField: z.string().optional(),
  filter: z.string().optional(),
});
export type TokenListQuery = z.input<typeof TokenListQuery>;
