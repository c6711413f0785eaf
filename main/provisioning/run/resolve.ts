import { NONCE_ATTRIBUTE } from '../../../common/contract/provisioning';
import { ProvisioningError } from '../errors';
import type { DeviceHello, PlatformDevice, Tag } from '../ports';
import { isCreateOutcomeUnknown, isForbidden } from '../platform-errors';
import type { RunContext } from './context';
import { createWithRateLimitRetry } from './create-retry';

/** Device classes that authenticate on their own; the others get 401 from `/auth/device`. */
const CONNECTING_CLASSES = new Set(['standalone', 'gateway', 'edgeCompute']);

export function deviceName(template: string, hello: DeviceHello): string {
  const name = template
    .replaceAll('{model}', hello.model)
    .replaceAll('{hwid}', hello.hwid)
    .replaceAll('{firmware}', hello.firmware)
    .trim();
  return (name || hello.hwid).slice(0, 255);
}

function hwidTag(hwid: string): Tag {
  return { key: 'hwid', value: hwid };
}

/**
 * Finds the platform device by its `hwid` tag, or creates it when the settings allow. Callers
 * serialize this per hwid so two lanes never create the same device twice.
 */
async function findOrCreate(ctx: RunContext, hello: DeviceHello, signal: AbortSignal): Promise<PlatformDevice> {
  const { platform, appId } = ctx;
  const { settings } = ctx.input;
  const find = () => platform.findDevicesByTag(appId, hwidTag(hello.hwid), signal);
  const pick = (devices: PlatformDevice[]): PlatformDevice | undefined => {
    if (devices.length > 1) {
      throw new ProvisioningError(
        'DEVICE_AMBIGUOUS_HWID',
        `${devices.length} devices on the platform carry the tag hwid=${hello.hwid} ` +
          `(${devices.map((d) => d.id).join(', ')}): remove the tag from all but the right one, then retry`,
      );
    }
    return devices[0];
  };
  const found = pick(await find());
  if (found) return found;
  if (settings.registration === 'pre-registered') {
    throw new ProvisioningError(
      'DEVICE_NOT_REGISTERED',
      `No device with the tag hwid=${hello.hwid} is registered in this application: register it on the platform ` +
        'with that tag, or change the setting to let Keyline create devices',
    );
  }
  const body = {
    name: deviceName(settings.deviceNameTemplate, hello),
    deviceClass: 'standalone',
    tags: [
      hwidTag(hello.hwid),
      { key: 'model', value: hello.model },
      { key: 'firmware', value: hello.firmware },
    ].filter((tag) => tag.value !== ''),
    attributes: settings.verifyMode === 'device' ? [{ name: NONCE_ATTRIBUTE, dataType: 'string' }] : [],
  };
  // A 429 proves nothing was made: tried again after its Retry-After (bounded).
  const create = () =>
    createWithRateLimitRetry(
      ctx,
      'resolve',
      'device creation',
      () => platform.createDevice(appId, body, signal),
      signal,
    );
  try {
    return await create();
  } catch (error) {
    if (!isCreateOutcomeUnknown(error)) throw error;
    // The create may have happened (a 5xx or a lost answer): look before creating again, never blindly.
    const afterLoss = pick(await find());
    if (afterLoss) return afterLoss;
    return await create();
  }
}

function checkClass(device: PlatformDevice): void {
  if (CONNECTING_CLASSES.has(device.deviceClass)) return;
  throw new ProvisioningError(
    'DEVICE_CLASS_CANNOT_CONNECT',
    `Device class ${device.deviceClass} cannot connect (device ${device.name}, ${device.id}): change it to standalone ` +
      'on the platform or pick another device',
  );
}

/** Makes sure the device defines the string attribute the verification nonce is reported in. */
async function ensureNonceAttribute(
  ctx: RunContext,
  device: PlatformDevice,
  signal: AbortSignal,
): Promise<PlatformDevice> {
  const name = NONCE_ATTRIBUTE;
  const existing = device.attributes.find((attribute) => attribute.name === name);
  if (existing) {
    if (existing.dataType === 'string') return device;
    throw new ProvisioningError(
      'NONCE_ATTRIBUTE_MISSING',
      `Device ${device.name} defines the attribute ${name} as ${existing.dataType}, not string: change it to a ` +
        'string attribute on the platform, or use verification mode "station"',
    );
  }
  const attributes = [
    ...device.attributes.map(({ name: n, dataType }) => ({ name: n, dataType })),
    { name, dataType: 'string' },
  ];
  try {
    return await ctx.platform.setDeviceAttributes(ctx.appId, device.id, attributes, signal);
  } catch (error) {
    if (!isForbidden(error)) throw error;
    throw new ProvisioningError(
      'NONCE_ATTRIBUTE_MISSING',
      `Device ${device.name} has no string attribute ${name} for the verification nonce, and this session may not ` +
        'add it: add the attribute on the platform, sign in with a role that may edit devices, or use verification mode "station"',
      { cause: error },
    );
  }
}

/** Step 2: the platform device this unit is, ready to receive a state report with the nonce. */
export async function resolve(ctx: RunContext, hello: DeviceHello, signal: AbortSignal): Promise<PlatformDevice> {
  const found = await ctx.deps.hwidLocks.run(`${ctx.appId}/${hello.hwid}`, () => findOrCreate(ctx, hello, signal));
  checkClass(found);
  const device = ctx.input.settings.verifyMode === 'device' ? await ensureNonceAttribute(ctx, found, signal) : found;
  ctx.state.device = device;
  ctx.input.onProgress({ type: 'info', deviceId: device.id, deviceName: device.name });
  return device;
}
