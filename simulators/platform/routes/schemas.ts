import { z } from 'zod';
import { validation } from '../http/api-error';
import { OBJECT_ID } from '../model/ids';
import { ATTRIBUTE_TYPES, DEVICE_CLASSES, ROLES } from '../model/types';
import { CALL_SCOPE_PATTERN, DEVICE_REQUESTABLE_SCOPES, SCOPE_GROUPS } from '../authz/scopes';

/**
 * Request bodies, as strict as the official schemas (`additionalProperties: false`): an unknown
 * field is a 400 Validation error naming it.
 */
const objectId = z.string().regex(OBJECT_ID, 'must be a 24-character hex id');
const tag = z.strictObject({
  key: z.string().regex(/^[0-9a-zA-Z_-]{1,255}$/, 'must be 1-255 letters, digits, _ or -'),
  value: z.string().min(1).max(255),
});
const keyTag = z.strictObject({
  key: z.string().regex(/^[0-9a-zA-Z_-]{1,255}$/, 'must be 1-255 letters, digits, _ or -'),
  value: z.string().min(1).max(255).optional(),
});
const attribute = z.strictObject({
  name: z.string().regex(/^[0-9a-zA-Z_-]{1,255}$/, 'must be 1-255 letters, digits, _ or -'),
  dataType: z.enum(ATTRIBUTE_TYPES),
  contentType: z.string().max(64).optional(),
  description: z.string().max(32767).optional(),
  attributeTags: z.record(z.string(), z.string()).optional(),
});
const attributes = z
  .array(attribute)
  .max(256)
  .refine((list) => new Set(list.map((entry) => entry.name)).size === list.length, 'attribute names must be unique');
const role = z.enum(ROLES);
const orgRoles = z.array(z.strictObject({ orgId: objectId, role })).max(100);
const dateTime = z.iso.datetime({ offset: true });
const status = z.enum(['active', 'inactive']);

/** The official device schemas' other optional fields (devicePost/devicePatch). */
const deviceExtras = {
  gatewayId: objectId.optional(),
  parentId: objectId.nullable().optional(),
  systemInterval: z.number().int().min(5).max(3600).optional(),
  keepDuplicates: z.boolean().optional(),
};

export const DeviceCredentials = z.strictObject({
  deviceId: objectId,
  key: z.string().optional(),
  secret: z.string().optional(),
  tokenTTL: z.number().int().min(0).optional(),
  requestedScopes: z.array(z.enum(DEVICE_REQUESTABLE_SCOPES)).optional(),
});

export const DevicePost = z.strictObject({
  name: z.string().min(1).max(255),
  description: z.string().max(32767).optional(),
  tags: z.array(tag).max(100).optional(),
  attributes: attributes.optional(),
  deviceClass: z.enum(DEVICE_CLASSES).optional(),
  ...deviceExtras,
});

export const DevicePatch = z.strictObject({
  name: z.string().min(1).max(255).optional(),
  description: z.string().max(32767).optional(),
  tags: z.array(tag).max(100).optional(),
  attributes: attributes.optional(),
  deviceClass: z.enum(DEVICE_CLASSES).optional(),
  ...deviceExtras,
});

const stateValue = z.union([z.number(), z.string(), z.boolean(), z.null()]);
const stateTime = z.union([dateTime, z.number().int().nonnegative(), z.strictObject({ $date: dateTime })]);
export const DeviceState = z.strictObject({
  data: z.record(z.string(), stateValue),
  time: stateTime.optional(),
  // Allowed by the official deviceState schema; the simulator takes and ignores them.
  meta: z.unknown().optional(),
  flowVersion: z.string().min(1).max(255).optional(),
});
export const DeviceStates = z.union([DeviceState, z.array(DeviceState).min(1).max(1000)]);

const keyFilterType = z.enum(['all', 'whitelist', 'blacklist', 'none']);
const topics = z.array(z.string().min(1).max(1024));

export const ApplicationKeyPost = z.strictObject({
  name: z.string().min(1).max(255).optional(),
  description: z.string().max(32767).optional(),
  deviceIds: z.array(objectId).max(1000).optional(),
  deviceTags: z.array(keyTag).max(100).optional(),
  filterType: keyFilterType.optional(),
  pubTopics: topics.optional(),
  subTopics: topics.optional(),
  addressFilterType: z.enum(['all', 'whitelist', 'blacklist']).optional(),
  addresses: z.array(z.string().max(48)).max(100).optional(),
});

export const ApplicationKeyPatch = z.strictObject({
  status: status.optional(),
  name: z.string().min(1).max(255).optional(),
  description: z.string().max(32767).optional(),
  // The official applicationKeyPatch schema carries the MQTT topic filter too; deviceIds never.
  filterType: keyFilterType.optional(),
  pubTopics: topics.optional(),
  subTopics: topics.optional(),
});

const scopeEntry = z
  .string()
  .refine(
    (scope) => (SCOPE_GROUPS as readonly string[]).includes(scope) || CALL_SCOPE_PATTERN.test(scope),
    'is not a known scope',
  );

export const ApiTokenPost = z.strictObject({
  name: z.string().min(1).max(255),
  description: z.string().max(32767).optional(),
  expirationDate: dateTime.optional(),
  scope: z
    .array(scopeEntry)
    .min(1)
    .refine((list) => new Set(list).size === list.length, 'scopes must be unique')
    .optional(),
  status: status.optional(),
});

export const UserApiTokenPost = ApiTokenPost.extend({
  defaultRole: role.optional(),
  orgRoles: orgRoles.optional(),
});

export const ApiTokenPatch = z.strictObject({
  name: z.string().min(1).max(255).optional(),
  description: z.string().max(32767).optional(),
  status: status.optional(),
});

export const OauthTokenPatch = z.strictObject({
  name: z.string().min(1).max(255).optional(),
  description: z.string().max(32767).optional(),
  status: status.optional(),
  defaultRole: role.optional(),
  orgRoles: orgRoles.optional(),
});

/** Validates a body; failures become 400 `Validation` with one `validationErrors` entry per problem. */
export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  const issues = result.error.issues.flatMap((issue) => {
    const base = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => {
        const name = base ? `${base}.${key}` : key;
        return { type: 'Validation', name, id: name, message: `${name} is not allowed` };
      });
    }
    const name = base || 'body';
    return [{ type: 'Validation', name, id: name, message: `${name} ${issue.message}` }];
  });
  const first = issues[0];
  throw validation(first ? first.message : 'Request body is not valid', issues);
}
