import { authorizeApplicationCall } from '../authz/authorize';
import type { SimContext } from '../context';
import { notFound, tooManyRequests, validation } from '../http/api-error';
import { newObjectId } from '../model/ids';
import { DEVICE_CLASSES, type Device, type DeviceClass } from '../model/types';
import { parseDeviceQuery } from './device-query';
import { arrayParam, listPage, parseSortDirection, parseTagFilter } from './list-query';
import { DevicePatch, DevicePost, DeviceStates, parseBody } from './schemas';
import { created, ok, param, success, type Reply, type RestRequest } from './types';
import { deviceView } from './views';

function findDevice(ctx: SimContext, applicationId: string, deviceId: string): Device {
  const device = ctx.store.device(deviceId);
  if (!device || device.applicationId !== applicationId) throw notFound('Device was not found');
  return device;
}

export async function listDevices(request: RestRequest): Promise<Reply> {
  const { ctx, query } = request;
  const applicationId = param(request, 'applicationId');
  authorizeApplicationCall(ctx, await request.principal(), 'devices.get', applicationId);
  let devices = ctx.store.devicesOf(applicationId);

  // One class, a comma list, repeated, or the official client's `deviceClass[0]=...` form.
  const classes = arrayParam(query, 'deviceClass');
  for (const value of classes) {
    if (!(DEVICE_CLASSES as readonly string[]).includes(value)) {
      throw validation(`deviceClass must be one of ${DEVICE_CLASSES.join(', ')}`);
    }
  }
  if (classes.length) devices = devices.filter((device) => classes.includes(device.deviceClass));
  for (const wanted of parseTagFilter(query)) {
    devices = devices.filter((device) =>
      device.tags.some(
        (tag) =>
          (wanted.key === undefined || tag.key === wanted.key) &&
          (wanted.value === undefined || tag.value === wanted.value),
      ),
    );
  }
  // `parentId`: the children of one device (the official client's filter).
  const parentId = query.get('parentId');
  if (parentId) devices = devices.filter((device) => device.parentId === parentId);
  const excludeConnectionInfo = flag(query, 'excludeConnectionInfo');
  const advanced = query.get('query');
  if (advanced) {
    const predicate = parseDeviceQuery(advanced);
    devices = devices.filter(predicate);
  }
  const page = listPage(
    devices,
    query,
    {
      sortFields: {
        name: (device) => device.name,
        id: (device) => device.id,
        creationDate: (device) => device.creationDate,
        lastUpdated: (device) => device.lastUpdated,
        connectionStatus: (device) => device.connectionInfo.connected ?? -1,
        'connectionInfo.time': (device) => device.connectionInfo.time,
      },
      defaultSortField: 'name',
      filterFields: { name: (device) => device.name },
      defaultFilterField: 'name',
    },
    excludeConnectionInfo ? (device) => withoutConnectionInfo(deviceView(device)) : deviceView,
  );
  // The schema's `deviceClass` echo is one class; a list of several is not echoed.
  return ok({
    ...page,
    applicationId,
    ...(classes.length === 1 ? { deviceClass: classes[0] } : {}),
    ...(parentId ? { parentId } : {}),
  });
}

/** A boolean query parameter: present and not `false`/`False`/`0` (the Python client's spelling) means set. */
function flag(query: URLSearchParams, name: string): boolean {
  const value = query.get(name)?.toLowerCase();
  return value !== undefined && value !== 'false' && value !== '0';
}

function withoutConnectionInfo(view: ReturnType<typeof deviceView>) {
  const { connectionInfo: _dropped, ...rest } = view;
  return rest;
}

export async function createDevice(request: RestRequest): Promise<Reply> {
  const { ctx } = request;
  const applicationId = param(request, 'applicationId');
  authorizeApplicationCall(ctx, await request.principal(), 'devices.post', applicationId);
  const body = parseBody(DevicePost, await request.body());
  const now = ctx.clock.nowIso();
  const device: Device = {
    id: newObjectId(ctx.clock.now()),
    applicationId,
    name: body.name,
    description: body.description ?? '',
    deviceClass: (body.deviceClass ?? 'standalone') as DeviceClass,
    tags: body.tags ?? [],
    attributes: body.attributes ?? [],
    connectionInfo: { connected: 0, time: null },
    creationDate: now,
    lastUpdated: now,
    ...(body.gatewayId !== undefined ? { gatewayId: body.gatewayId } : {}),
    ...(body.parentId !== undefined ? { parentId: body.parentId } : {}),
    ...(body.systemInterval !== undefined ? { systemInterval: body.systemInterval } : {}),
    ...(body.keepDuplicates !== undefined ? { keepDuplicates: body.keepDuplicates } : {}),
  };
  ctx.store.addDevice(device);
  ctx.store.recordEvent('device.created', {
    applicationId,
    deviceId: device.id,
    name: device.name,
    deviceClass: device.deviceClass,
  });
  ctx.store.changed();
  return created(deviceView(device));
}

export async function getDevice(request: RestRequest): Promise<Reply> {
  const { ctx } = request;
  const applicationId = param(request, 'applicationId');
  const deviceId = param(request, 'deviceId');
  authorizeApplicationCall(ctx, await request.principal(), 'device.get', applicationId, deviceId);
  const view = deviceView(findDevice(ctx, applicationId, deviceId));
  return ok(flag(request.query, 'excludeConnectionInfo') ? withoutConnectionInfo(view) : view);
}

export async function patchDevice(request: RestRequest): Promise<Reply> {
  const { ctx } = request;
  const applicationId = param(request, 'applicationId');
  const deviceId = param(request, 'deviceId');
  authorizeApplicationCall(ctx, await request.principal(), 'device.patch', applicationId, deviceId);
  const device = findDevice(ctx, applicationId, deviceId);
  const body = parseBody(DevicePatch, await request.body());
  if (body.name !== undefined) device.name = body.name;
  if (body.description !== undefined) device.description = body.description;
  if (body.tags !== undefined) device.tags = body.tags;
  if (body.attributes !== undefined) device.attributes = body.attributes;
  if (body.deviceClass !== undefined) device.deviceClass = body.deviceClass as DeviceClass;
  if (body.gatewayId !== undefined) device.gatewayId = body.gatewayId;
  if (body.parentId !== undefined) device.parentId = body.parentId;
  if (body.systemInterval !== undefined) device.systemInterval = body.systemInterval;
  if (body.keepDuplicates !== undefined) device.keepDuplicates = body.keepDuplicates;
  device.lastUpdated = ctx.clock.nowIso();
  ctx.store.recordEvent('device.updated', { applicationId, deviceId, fields: Object.keys(body) });
  ctx.store.changed();
  return ok(deviceView(device));
}

export async function deleteDevice(request: RestRequest): Promise<Reply> {
  const { ctx } = request;
  const applicationId = param(request, 'applicationId');
  const deviceId = param(request, 'deviceId');
  authorizeApplicationCall(ctx, await request.principal(), 'device.delete', applicationId, deviceId);
  findDevice(ctx, applicationId, deviceId);
  ctx.store.removeDevice(deviceId);
  ctx.store.recordEvent('device.deleted', { applicationId, deviceId });
  ctx.store.changed();
  return success();
}

function reportTime(time: unknown, fallback: number): number {
  if (time === undefined) return fallback;
  if (typeof time === 'number') return time;
  if (typeof time === 'string') return Date.parse(time);
  return Date.parse((time as { $date: string }).$date);
}

/**
 * `POST .../state`: one report or an array. Data for attributes the device does not define is
 * dropped; the composite state keeps the newest value per attribute. Limited per device.
 */
export async function sendState(request: RestRequest): Promise<Reply> {
  const { ctx } = request;
  const applicationId = param(request, 'applicationId');
  const deviceId = param(request, 'deviceId');
  authorizeApplicationCall(ctx, await request.principal(), 'device.sendState', applicationId, deviceId);
  const device = findDevice(ctx, applicationId, deviceId);
  const body = parseBody(DeviceStates, await request.body());
  if (!ctx.rateLimiter.take(deviceId)) {
    const { reports, windowSeconds } = ctx.settings.stateRateLimit;
    throw tooManyRequests(
      `Device state is limited to ${reports} reports per ${windowSeconds} seconds`,
      ctx.rateLimiter.retryAfterSeconds(deviceId),
    );
  }
  const reports = Array.isArray(body) ? body : [body];
  const defined = new Set(device.attributes.map((attribute) => attribute.name));
  const composite = (ctx.store.state.compositeState[deviceId] ??= {});
  const now = ctx.clock.now();
  for (const report of reports) {
    const time = reportTime(report.time, now);
    const iso = new Date(time).toISOString();
    for (const [name, value] of Object.entries(report.data)) {
      if (!defined.has(name)) continue;
      const previous = composite[name];
      if (previous && Date.parse(previous.time) > time) continue;
      composite[name] = { value, time: iso };
    }
  }
  ctx.store.changed();
  return success();
}

export async function getCompositeState(request: RestRequest): Promise<Reply> {
  const { ctx } = request;
  const applicationId = param(request, 'applicationId');
  const deviceId = param(request, 'deviceId');
  authorizeApplicationCall(ctx, await request.principal(), 'device.getCompositeState', applicationId, deviceId);
  findDevice(ctx, applicationId, deviceId);
  const composite = ctx.store.state.compositeState[deviceId] ?? {};
  // `attributes` (comma list) narrows the answer. The simulator keeps the last value per attribute
  // only, so `start`/`end` can only drop a last value outside the range, not find an older one.
  const wanted = arrayParam(request.query, 'attributes');
  const start = timeParam(request.query, 'start');
  const end = timeParam(request.query, 'end');
  return ok(
    Object.fromEntries(
      Object.entries(composite)
        .filter(([name]) => !wanted.length || wanted.includes(name))
        .filter(([, entry]) => {
          const time = Date.parse(entry.time);
          return (start === undefined || time >= start) && (end === undefined || time <= end);
        })
        .map(([name, entry]) => [name, { ...entry }]),
    ),
  );
}

export async function getLogEntries(request: RestRequest): Promise<Reply> {
  const { ctx } = request;
  const applicationId = param(request, 'applicationId');
  const deviceId = param(request, 'deviceId');
  authorizeApplicationCall(ctx, await request.principal(), 'device.getLogEntries', applicationId, deviceId);
  findDevice(ctx, applicationId, deviceId);
  const limit = Number(request.query.get('limit') || 20);
  if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw validation('limit must be an integer from 1 to 200');
  const since = timeParam(request.query, 'since');
  // Newest first unless `sortDirection=asc`; `since` (epoch ms) keeps entries from that time on.
  const direction = request.query.get('sortDirection') ? parseSortDirection(request.query) : 'desc';
  const entries = (ctx.store.state.logs[deviceId] ?? []).filter(
    (entry) => since === undefined || Date.parse(entry.time) >= since,
  );
  const ordered = direction === 'desc' ? [...entries].reverse() : entries;
  return ok(ordered.slice(0, limit).map((entry) => ({ ...entry })));
}

/** A time query parameter: epoch milliseconds or an ISO date; absent or blank is `undefined`. */
function timeParam(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  const time = /^-?\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
  if (!Number.isFinite(time)) throw validation(`${name} must be a time in milliseconds since the epoch`);
  return time;
}
