import type { ApplicationKey } from './schemas';

/**
 * Which devices an access key lets in, as the platform applies it: listed device ids, devices with
 * matching tags, or (neither given) every device of the application.
 */
export type KeyReach =
  | { kind: 'devices'; deviceIds: string[] }
  | { kind: 'tags'; deviceIds: string[]; tagCount: number }
  | { kind: 'application' };

export function keyReach(key: Pick<ApplicationKey, 'deviceIds' | 'deviceTags'>): KeyReach {
  const deviceIds = key.deviceIds ?? [];
  const tagCount = key.deviceTags?.length ?? 0;
  if (tagCount > 0) return { kind: 'tags', deviceIds, tagCount };
  if (deviceIds.length > 0) return { kind: 'devices', deviceIds };
  return { kind: 'application' };
}

/**
 * True only when the key lets in exactly this one device and nothing else: the check after mint,
 * and the condition for rotation to touch an old key. Ids compare case-insensitively (ObjectIds).
 */
export function isRestrictedToDevice(key: Pick<ApplicationKey, 'deviceIds' | 'deviceTags'>, deviceId: string): boolean {
  const reach = keyReach(key);
  return (
    reach.kind === 'devices' &&
    reach.deviceIds.length > 0 &&
    reach.deviceIds.every((id) => id.toLowerCase() === deviceId.toLowerCase())
  );
}
