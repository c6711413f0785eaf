import { isRestrictedToDevice, type ApplicationKey, type Device, type PlatformClient } from '../../platform';

/** The platform device of a unit: by the device id it runs on, else by its `hwid` tag. */
export async function findPlatformDevice(
  client: PlatformClient,
  applicationId: string,
  hwid: string,
  deviceIdOnUnit: string | undefined,
  signal: AbortSignal,
): Promise<Device | undefined> {
  if (deviceIdOnUnit) {
    try {
      return await client.devices.get(applicationId, deviceIdOnUnit, { signal });
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'PLATFORM_NOT_FOUND') throw error;
    }
  }
  const page = await client.devices.list(
    applicationId,
    { tagFilter: [{ key: 'hwid', value: hwid }], perPage: 100 },
    { signal },
  );
  const matches = page.items.filter((device) => device.tags.some((tag) => tag.key === 'hwid' && tag.value === hwid));
  return matches.length === 1 ? matches[0] : undefined;
}

/** Every key of the application that lets this device in by its id (restricted to it, or shared with others). */
export async function keysOfDevice(
  client: PlatformClient,
  applicationId: string,
  deviceId: string,
  signal: AbortSignal,
): Promise<Array<ApplicationKey & { exclusive: boolean }>> {
  const found: Array<ApplicationKey & { exclusive: boolean }> = [];
  for await (const key of client.keys.all(applicationId, { perPage: 1000 }, { signal })) {
    if (!(key.deviceIds ?? []).some((id) => id.toLowerCase() === deviceId.toLowerCase())) continue;
    found.push({ ...key, exclusive: isRestrictedToDevice(key, deviceId) });
    if (found.length >= 100) break;
  }
  return found;
}
