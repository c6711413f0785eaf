import type { SimContext } from '../context';
import { unauthorized } from '../http/api-error';
import type { AccessKey, Device } from '../model/types';
import { DeviceCredentials, parseBody } from './schemas';
import { ok, type RestRequest, type Reply } from './types';

/** Whether an access key covers a device: no restriction means every device of its application. */
export function keyAllowsDevice(key: AccessKey, device: Device): boolean {
  if (key.applicationId !== device.applicationId) return false;
  if (key.deviceIds.length === 0 && key.deviceTags.length === 0) return true;
  if (key.deviceIds.includes(device.id)) return true;
  return key.deviceTags.some((wanted) =>
    device.tags.some((tag) => tag.key === wanted.key && (wanted.value === undefined || tag.value === wanted.value)),
  );
}

/**
 * `POST /auth/device`: a device proves itself with access key and secret and gets a device token.
 * Every attempt, allowed or refused, goes to the device's connection log (when the device exists)
 * and to `/__sim/events`; each refusal is a 401 with its own message.
 */
export async function authenticateDevice(request: RestRequest): Promise<Reply> {
  const { ctx } = request;
  const body = parseBody(DeviceCredentials, await request.body());
  const device = ctx.store.device(body.deviceId);
  const key = body.key === undefined ? undefined : ctx.store.keyByKey(body.key);

  const refuse = (reason: string): never => {
    record(ctx, request.ip, body.deviceId, device, key, reason);
    throw unauthorized(reason);
  };

  if (!body.key || !body.secret) refuse('An access key and secret are required');
  if (!key) return refuse('Access key was not found');
  if (!ctx.hasher.matches('access-key-secret', body.secret as string, key.secretHmac)) {
    refuse('Access secret does not match the access key');
  }
  if (key.deletedAt) refuse('Access key has been deleted');
  if (key.status !== 'active') refuse('Access key is inactive');
  if (!device || device.applicationId !== key.applicationId) return refuse('Device was not found');
  if (!keyAllowsDevice(key, device)) refuse('Access key does not allow this device');
  if (!ctx.settings.connectableDeviceClasses.includes(device.deviceClass)) refuse('Device not allowed to connect');

  const iat = Math.floor(ctx.clock.now() / 1000);
  const token = await ctx.signer.sign({
    iss: ctx.issuer,
    sub: device.id,
    subtype: 'device',
    scope: body.requestedScopes ?? ['all.Device'],
    appId: device.applicationId,
    keyId: key.id,
    iat,
    ...(body.tokenTTL ? { exp: iat + body.tokenTTL } : {}),
  });
  record(ctx, request.ip, device.id, device, key, undefined);
  return ok({
    applicationId: device.applicationId,
    deviceId: device.id,
    deviceClass: device.deviceClass,
    token,
    ownerType: 'organization',
    filterType: key.filterType ?? 'none',
    pubTopics: key.pubTopics ?? [],
    subTopics: key.subTopics ?? [],
  });
}

function record(
  ctx: SimContext,
  ip: string,
  deviceId: string,
  device: Device | undefined,
  key: AccessKey | undefined,
  reason: string | undefined,
): void {
  const time = ctx.clock.nowIso();
  if (device) {
    ctx.store.appendLog(device.id, {
      connected: reason ? 0 : 1,
      time,
      method: 'REST /auth/device',
      ...(reason ? { disconnectReason: reason } : {}),
      ipAddress: ip,
    });
  }
  ctx.store.recordEvent('auth.device', {
    result: reason ? 'refused' : 'allowed',
    ...(reason ? { reason } : {}),
    deviceId,
    ...(device ? { applicationId: device.applicationId, deviceClass: device.deviceClass } : {}),
    ...(key ? { applicationKeyId: key.id, key: key.key } : {}),
    ipAddress: ip,
  });
  ctx.store.changed();
}
