import { randomBytes, randomUUID } from 'node:crypto';
import { authorizeApplicationCall } from '../authz/authorize';
import type { SimContext } from '../context';
import { notFound, validation } from '../http/api-error';
import { newObjectId } from '../model/ids';
import type { AccessKey } from '../model/types';
import { actorOf } from './actor';
import { parseAdvancedQuery } from './device-query';
import { listPage } from './list-query';
import { ApplicationKeyPatch, ApplicationKeyPost, parseBody } from './schemas';
import { created, ok, param, success, type Reply, type RestRequest } from './types';
import { keyView } from './views';

function findKey(ctx: SimContext, applicationId: string, keyId: string): AccessKey {
  const key = ctx.store.keyById(keyId);
  if (!key || key.applicationId !== applicationId || key.deletedAt) throw notFound('Application key was not found');
  return key;
}

/** Fields of the official advancedApplicationKeyQuery the simulator can compare. */
const KEY_QUERY_FIELDS: Record<string, (key: AccessKey) => string> = {
  id: (key) => key.id,
  key: (key) => key.key,
  status: (key) => key.status,
  description: (key) => key.description ?? '',
  filterType: (key) => key.filterType ?? '',
  creationDate: (key) => key.creationDate,
  lastUpdated: (key) => key.lastUpdated,
};

export async function listKeys(request: RestRequest): Promise<Reply> {
  const { ctx, query } = request;
  const applicationId = param(request, 'applicationId');
  authorizeApplicationCall(ctx, await request.principal(), 'applicationKeys.get', applicationId);
  let keys = ctx.store.liveKeysOf(applicationId);
  const advanced = query.get('query');
  if (advanced) keys = keys.filter(parseAdvancedQuery(advanced, KEY_QUERY_FIELDS));
  const page = listPage(
    keys,
    query,
    {
      sortFields: {
        key: (key) => key.key,
        status: (key) => key.status,
        name: (key) => key.name,
        id: (key) => key.id,
        creationDate: (key) => key.creationDate,
        lastUpdated: (key) => key.lastUpdated,
      },
      defaultSortField: 'creationDate',
      filterFields: { key: (key) => key.key, status: (key) => key.status, name: (key) => key.name },
      defaultFilterField: 'key',
    },
    keyView,
  );
  return ok({ ...page, applicationId });
}

/**
 * `POST .../keys`: the only answer that ever carries the secret. The secret is 256 random bits; the
 * store keeps its HMAC only.
 */
export async function createKey(request: RestRequest): Promise<Reply> {
  const { ctx } = request;
  const applicationId = param(request, 'applicationId');
  const principal = await request.principal();
  authorizeApplicationCall(ctx, principal, 'applicationKeys.post', applicationId);
  const body = parseBody(ApplicationKeyPost, await request.body());
  const deviceIds = [...new Set(body.deviceIds ?? [])];
  deviceIds.forEach((deviceId, index) => {
    const device = ctx.store.device(deviceId);
    if (!device || device.applicationId !== applicationId) {
      throw validation(`deviceIds.${index} is not a device of this application`, [
        {
          type: 'Validation',
          name: `deviceIds.${index}`,
          id: `deviceIds.${index}`,
          message: 'Device was not found',
        },
      ]);
    }
  });
  const actor = actorOf(ctx.store, principal);
  const now = ctx.clock.nowIso();
  const secret = randomBytes(32).toString('hex');
  const key: AccessKey = {
    id: newObjectId(ctx.clock.now()),
    applicationId,
    key: randomUUID(),
    secretHmac: ctx.hasher.hash('access-key-secret', secret),
    status: 'active',
    ...(body.name !== undefined ? { name: body.name } : {}),
    ...(body.description !== undefined ? { description: body.description } : {}),
    deviceIds,
    deviceTags: (body.deviceTags ?? []).map((tag) => ({ ...tag })),
    ...(body.filterType !== undefined ? { filterType: body.filterType } : {}),
    ...(body.pubTopics !== undefined ? { pubTopics: body.pubTopics } : {}),
    ...(body.subTopics !== undefined ? { subTopics: body.subTopics } : {}),
    ...(body.addressFilterType !== undefined ? { addressFilterType: body.addressFilterType } : {}),
    ...(body.addresses !== undefined ? { addresses: body.addresses } : {}),
    creationDate: now,
    lastUpdated: now,
    createdById: actor.id,
    createdByType: actor.type,
    lastUpdatedById: actor.id,
    lastUpdatedByType: actor.type,
  };
  ctx.store.addKey(key);
  ctx.store.recordEvent('key.created', {
    applicationId,
    applicationKeyId: key.id,
    key: key.key,
    ...(key.name !== undefined ? { name: key.name } : {}),
    deviceIds: [...key.deviceIds],
    deviceTags: key.deviceTags.map((tag) => ({ ...tag })),
    createdById: actor.id,
    createdByType: actor.type,
  });
  ctx.store.changed();
  return created({ ...keyView(key), secret });
}

export async function getKey(request: RestRequest): Promise<Reply> {
  const { ctx } = request;
  const applicationId = param(request, 'applicationId');
  authorizeApplicationCall(ctx, await request.principal(), 'applicationKey.get', applicationId);
  return ok(keyView(findKey(ctx, applicationId, param(request, 'applicationKeyId'))));
}

export async function patchKey(request: RestRequest): Promise<Reply> {
  const { ctx } = request;
  const applicationId = param(request, 'applicationId');
  const principal = await request.principal();
  authorizeApplicationCall(ctx, principal, 'applicationKey.patch', applicationId);
  const key = findKey(ctx, applicationId, param(request, 'applicationKeyId'));
  const body = parseBody(ApplicationKeyPatch, await request.body());
  const actor = actorOf(ctx.store, principal);
  if (body.status !== undefined) key.status = body.status;
  if (body.name !== undefined) key.name = body.name;
  if (body.description !== undefined) key.description = body.description;
  if (body.filterType !== undefined) key.filterType = body.filterType;
  if (body.pubTopics !== undefined) key.pubTopics = body.pubTopics;
  if (body.subTopics !== undefined) key.subTopics = body.subTopics;
  key.lastUpdated = ctx.clock.nowIso();
  key.lastUpdatedById = actor.id;
  key.lastUpdatedByType = actor.type;
  ctx.store.recordEvent('key.updated', {
    applicationId,
    applicationKeyId: key.id,
    key: key.key,
    status: key.status,
    fields: Object.keys(body),
  });
  ctx.store.changed();
  return ok(keyView(key));
}

export async function deleteKey(request: RestRequest): Promise<Reply> {
  const { ctx } = request;
  const applicationId = param(request, 'applicationId');
  authorizeApplicationCall(ctx, await request.principal(), 'applicationKey.delete', applicationId);
  const key = findKey(ctx, applicationId, param(request, 'applicationKeyId'));
  key.deletedAt = ctx.clock.nowIso();
  ctx.store.recordEvent('key.deleted', { applicationId, applicationKeyId: key.id, key: key.key });
  ctx.store.changed();
  return success();
}
