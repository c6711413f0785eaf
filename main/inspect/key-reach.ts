import type { ApplicationKey, Device } from '../platform';

/**
 * Whether an access key lets a device in, as `/auth/device` decides it: the same application,
 * and the device listed, or carrying one of the key's tags, or a key with no restriction at all.
 */
export function keyLetsIn(
  key: Pick<ApplicationKey, 'applicationId' | 'deviceIds' | 'deviceTags'>,
  device: Pick<Device, 'id' | 'applicationId' | 'tags'>,
): boolean {
  if (key.applicationId.toLowerCase() !== device.applicationId.toLowerCase()) return false;
  const ids = key.deviceIds ?? [];
  const tags = key.deviceTags ?? [];
  if (ids.length === 0 && tags.length === 0) return true;
  if (ids.some((id) => id.toLowerCase() === device.id.toLowerCase())) return true;
  return tags.some(
    (wanted) =>
      wanted.key !== undefined &&
      device.tags.some((tag) => tag.key === wanted.key && (wanted.value === undefined || tag.value === wanted.value)),
  );
}
