import { KeylineError } from '../../common/errors';
import { isPlatformError, type ApplicationKey, type PlatformClient } from '../platform';
import { collect } from './collect';

/** A platform read as a diagnosis needs it: found, provably missing (404), or unknown and why. */
export type Read<T> =
  { state: 'found'; value: T } | { state: 'missing' } | { state: 'unknown'; reason: string; error?: KeylineError };

export const unknown = (
  reason: string,
  error?: KeylineError,
): { state: 'unknown'; reason: string; error?: KeylineError } =>
  error ? { state: 'unknown', reason, error } : { state: 'unknown', reason };

/** Runs a read; a 404 is "missing", any other failure "unknown" with the error's own words. */
export async function read<T>(run: () => Promise<T>): Promise<Read<T>> {
  try {
    return { state: 'found', value: await run() };
  } catch (error) {
    if (isPlatformError(error, 'PLATFORM_NOT_FOUND')) return { state: 'missing' };
    if (isPlatformError(error, 'PLATFORM_FORBIDDEN') || isPlatformError(error, 'PLATFORM_UNAUTHORIZED')) {
      return unknown(`not allowed for this session: ${error.message}`, error);
    }
    if (error instanceof KeylineError) return unknown(error.message, error);
    throw error;
  }
}

/** The first page of applications this session sees, searched for a device id (at most 25). */
export async function findApplicationOf(
  client: PlatformClient,
  deviceId: string,
  signal?: AbortSignal,
): Promise<string | null> {
  const applications = await client.applications(undefined, { signal });
  for (const application of applications.items.slice(0, 25)) {
    const found = await read(() => client.devices.get(application.id, deviceId, { signal }));
    if (found.state === 'found') return application.id;
  }
  return null;
}

/** Devices carrying the tag `hwid=<hwid>` (how the pipeline finds a unit's platform device). */
export function devicesByHwid(client: PlatformClient, applicationId: string, hwid: string, signal?: AbortSignal) {
  return read(async () => {
    const { items } = await collect(
      client.devices.all(applicationId, { tagFilter: [{ key: 'hwid', value: hwid }] }, { signal }),
      20,
    );
    return items;
  });
}

/** The access key with this public key string, if the application lists it (deleted keys are not listed). */
export async function keyByString(
  client: PlatformClient,
  applicationId: string,
  key: string,
  signal?: AbortSignal,
): Promise<Read<ApplicationKey>> {
  const listed = await read(async () => {
    for await (const candidate of client.keys.all(applicationId, { filterField: 'key', filter: key }, { signal })) {
      if (candidate.key === key) return candidate;
    }
    return null;
  });
  if (listed.state !== 'found') return listed;
  return listed.value ? { state: 'found', value: listed.value } : { state: 'missing' };
}
