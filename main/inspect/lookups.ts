import type {
  AccessKeyView,
  ApiTokenView,
  DeviceDetail,
  DeviceSummary,
  InspectPermissions,
  OauthTokenView,
} from '../../common/contract/inspect';
import { isPlatformError, type CompositeState } from '../platform';
import { collect } from './collect';
import { keyLetsIn } from './key-reach';
import { accessKeyView, apiTokenView, classWords, connectionLog, deviceSummary, oauthTokenView } from './lookup-views';
import type { InspectPlatform } from './platform-access';

export interface Listed<T> {
  applicationId: string | null;
  items: T[];
  truncated: boolean;
}

export async function listApiTokens(
  platform: InspectPlatform,
  applicationId: string,
  now: number,
  signal?: AbortSignal,
): Promise<Listed<ApiTokenView>> {
  const { items, truncated } = await collect(platform.client.applicationApiTokens(applicationId).all({}, { signal }));
  return { applicationId, items: items.map((token) => apiTokenView(token, now)), truncated };
}

export async function listKeys(
  platform: InspectPlatform,
  applicationId: string,
  signal?: AbortSignal,
): Promise<Listed<AccessKeyView>> {
  const { items, truncated } = await collect(platform.client.keys.all(applicationId, {}, { signal }));
  return { applicationId, items: items.map(accessKeyView), truncated };
}

export async function listOauthTokens(
  platform: InspectPlatform,
  signal?: AbortSignal,
): Promise<Listed<OauthTokenView>> {
  const [{ items, truncated }, own] = await Promise.all([
    collect(platform.client.oauthTokens.all({}, { signal })),
    platform.ownTokenId(signal).catch(() => undefined),
  ]);
  return { applicationId: null, items: items.map((token) => oauthTokenView(token, own)), truncated };
}

export async function listDevices(
  platform: InspectPlatform,
  applicationId: string,
  filter: string | undefined,
  signal?: AbortSignal,
): Promise<Listed<DeviceSummary>> {
  const query = filter?.trim() ? { filterField: 'name' as const, filter: filter.trim() } : {};
  const { items, truncated } = await collect(platform.client.devices.all(applicationId, query, { signal }));
  return { applicationId, items: items.map(deviceSummary), truncated };
}

function stateValue(value: unknown): string {
  if (value === null || value === undefined) return '—';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 500 ? `${text.slice(0, 499)}…` : text;
}

function stateTime(time: CompositeState[string]['time']): string | null {
  if (time === undefined) return null;
  const raw = typeof time === 'object' ? time.$date : time;
  const parsed = new Date(raw);
  return Number.isNaN(parsed.getTime()) ? null : parsed.toISOString();
}

/** A read the session may not make is shown as "not allowed" rather than failing the whole view. */
async function unlessForbidden<T>(read: () => Promise<T>, notes: string[], what: string): Promise<T | null> {
  try {
    return await read();
  } catch (error) {
    if (isPlatformError(error, 'PLATFORM_FORBIDDEN') || isPlatformError(error, 'PLATFORM_UNAUTHORIZED')) {
      notes.push(`Not allowed for you: ${what}. ${error.message}`);
      return null;
    }
    throw error;
  }
}

/** One device with what support asks about it: class, connection log, last state, the keys that let it in. */
export async function deviceDetail(
  platform: InspectPlatform,
  applicationId: string,
  deviceId: string,
  can: InspectPermissions,
  signal?: AbortSignal,
): Promise<DeviceDetail> {
  const { client } = platform;
  const device = await client.devices.get(applicationId, deviceId, { signal });
  const notes: string[] = [];
  const [log, state, keys] = await Promise.all([
    unlessForbidden(() => client.devices.logs(applicationId, deviceId, { signal }), notes, 'the connection log'),
    unlessForbidden(() => client.devices.compositeState(applicationId, deviceId, { signal }), notes, 'the last state'),
    can.readKeys
      ? unlessForbidden(() => collect(client.keys.all(applicationId, {}, { signal })), notes, 'the access keys')
      : Promise.resolve(null),
  ]);
  if (!can.readKeys) notes.push('Access keys are not shown: this session may not read them.');
  return {
    device: deviceSummary(device),
    applicationId,
    description: device.description ? device.description.slice(0, 2000) : null,
    classWords: classWords(device.deviceClass),
    connectionLog: log ? connectionLog(log) : [],
    lastState: state
      ? Object.entries(state)
          .slice(0, 200)
          .map(([attribute, entry]) => ({
            attribute: attribute.slice(0, 500),
            value: stateValue(entry.value),
            time: stateTime(entry.time),
          }))
      : null,
    keys: keys ? keys.items.filter((key) => keyLetsIn(key, device)).map(accessKeyView) : null,
    notes,
  };
}
