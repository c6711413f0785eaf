import type {
  AccessKeyView,
  ApiTokenView,
  ConnectionLogEntry,
  DeviceSummary,
  KeyRestriction,
  OauthTokenView,
} from '../../common/contract/inspect';
import { describeScope } from '../../common/platform/scopes';
import {
  CONNECTING_DEVICE_CLASSES,
  type ApiToken,
  type ApplicationKey,
  type Device,
  type DeviceClass,
  type DeviceLogEntry,
  type OAuthToken,
} from '../platform';
import { formatDuration } from './token-times';

/** Platform records as the screen shows them: plain words beside the raw values, never a secret. */

const cut = (text: string, max = 500) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** "All permissions in the application", "Read only", or "Custom: send state, read a device, …". */
export function scopeSummary(scopes: readonly string[]): string {
  if (scopes.length === 0) return 'No permissions';
  const described = scopes.map((scope) => describeScope(scope));
  if (described.length === 1) return cut(described[0]!.title, 2000);
  const calls = described.filter((scope) => scope.kind !== 'group');
  if (calls.length === described.length) {
    const titles = calls.slice(0, 4).map((scope) => scope.title.charAt(0).toLowerCase() + scope.title.slice(1));
    const more = calls.length > 4 ? ` and ${calls.length - 4} more` : '';
    return cut(`Custom: ${calls.length} actions (${titles.join('; ')}${more})`, 2000);
  }
  return cut(described.map((scope) => scope.title).join(' + '), 2000);
}

/** "Never", "In 3 days, at …", "Expired 2 days ago, at …". */
export function expiryWords(expiresAt: string | null | undefined, now: number): { words: string; expired: boolean } {
  if (!expiresAt) return { words: 'Never', expired: false };
  const time = Date.parse(expiresAt);
  if (Number.isNaN(time)) return { words: `Unknown (${cut(expiresAt, 64)})`, expired: false };
  const iso = new Date(time).toISOString();
  const seconds = (time - now) / 1000;
  if (seconds <= 0) return { words: `Expired ${formatDuration(seconds)} ago, at ${iso}`, expired: true };
  return { words: `In ${formatDuration(seconds)}, at ${iso}`, expired: false };
}

function creatorOf(token: ApiToken): string {
  if (token.creatorName) return cut(token.creatorName);
  if (token.creatorType && token.creatorId) return `${token.creatorType} ${token.creatorId}`;
  return 'Unknown';
}

export function apiTokenView(token: ApiToken, now: number): ApiTokenView {
  const expiry = expiryWords(token.expirationDate, now);
  return {
    id: token.id,
    name: cut(token.name),
    description: token.description ? cut(token.description, 2000) : null,
    scopes: token.scope.slice(0, 200).map((scope) => cut(scope, 100)),
    scopeSummary: scopeSummary(token.scope),
    creator: creatorOf(token),
    createdAt: token.creationDate ?? null,
    expiresAt: token.expirationDate ?? null,
    expiry: expiry.words,
    expired: expiry.expired,
    status: token.status,
  };
}

export function keyRestriction(key: Pick<ApplicationKey, 'deviceIds' | 'deviceTags'>): KeyRestriction {
  const deviceIds = key.deviceIds ?? [];
  const tags = (key.deviceTags ?? [])
    .filter((tag) => tag.key !== undefined)
    .map((tag) => ({ key: cut(tag.key!), value: tag.value === undefined ? null : cut(tag.value) }));
  const tagWords = tags.map((tag) => (tag.value === null ? `${tag.key} (any value)` : `${tag.key}=${tag.value}`));
  if (tags.length > 0) {
    const ids =
      deviceIds.length > 0 ? `, and ${deviceIds.length} listed device${deviceIds.length === 1 ? '' : 's'}` : '';
    return { kind: 'tags', deviceIds, tags, words: `Devices tagged ${tagWords.join(' or ')}${ids}` };
  }
  if (deviceIds.length === 1) return { kind: 'devices', deviceIds, tags, words: `Only device ${deviceIds[0]}` };
  if (deviceIds.length > 1) {
    return {
      kind: 'devices',
      deviceIds,
      tags,
      words: `Only these ${deviceIds.length} devices: ${deviceIds.join(', ')}`,
    };
  }
  return { kind: 'application', deviceIds, tags, words: 'Every device of the application (no restriction)' };
}

export function accessKeyView(key: ApplicationKey): AccessKeyView {
  return {
    id: key.id,
    key: cut(key.key),
    name: key.name ? cut(key.name) : null,
    description: key.description ? cut(key.description, 2000) : null,
    restriction: keyRestriction(key),
    status: key.status,
    createdBy: key.createdById ? `${key.createdByType ?? 'creator'} ${key.createdById}` : null,
    createdAt: key.creationDate ?? null,
  };
}

export function oauthTokenView(token: OAuthToken, ownTokenId: string | undefined): OauthTokenView {
  return {
    id: token.id,
    name: token.name ? cut(token.name) : null,
    clientId: cut(token.oauth.client_id),
    clientName: token.oauth.client_name ? cut(token.oauth.client_name) : null,
    roleCap: token.defaultRole ? cut(token.defaultRole) : null,
    scopes: token.scope.slice(0, 100).map((scope) => cut(scope, 100)),
    scopeSummary: scopeSummary(token.scope),
    createdAt: token.creationDate ?? null,
    expiresAt: token.expirationDate ?? null,
    status: token.status,
    pending: token.oauth.authorizationStatus === 'pending',
    thisStation: ownTokenId !== undefined && ownTokenId === token.id,
  };
}

export function canConnect(deviceClass: string): boolean {
  return (CONNECTING_DEVICE_CLASSES as readonly string[]).includes(deviceClass);
}

const CLASS_WORDS: Record<DeviceClass, string> = {
  standalone: 'Standalone: connects to the platform on its own with its access key.',
  gateway: 'Gateway: connects on its own and reports for its peripherals.',
  edgeCompute: 'Edge compute: connects on its own.',
  peripheral:
    'Peripheral: reports through a gateway and may not authenticate itself ("Device not allowed to connect"). A unit that connects directly must be standalone.',
  floating:
    'Floating (formerly "virtual"): its state is set by workflows or other devices; it may not authenticate itself ("Device not allowed to connect").',
  system: 'System: kept by the platform; it may not authenticate itself.',
  embedded: 'Embedded: runs inside an edge compute device and may not authenticate itself directly.',
};

export function classWords(deviceClass: DeviceClass): string {
  return CLASS_WORDS[deviceClass];
}

export function deviceSummary(device: Device): DeviceSummary {
  const connected = device.connectionInfo?.connected;
  return {
    id: device.id,
    name: cut(device.name),
    deviceClass: device.deviceClass,
    canConnect: canConnect(device.deviceClass),
    tags: device.tags.slice(0, 100).map((tag) => ({ key: cut(tag.key), value: cut(tag.value) })),
    connected: connected === undefined || connected === null ? null : connected === 1,
    lastActivity: device.connectionInfo?.time ?? device.lastUpdated ?? null,
  };
}

/** Newest first, as the platform's own screen shows it. */
export function connectionLog(entries: readonly DeviceLogEntry[], max = 100): ConnectionLogEntry[] {
  return [...entries]
    .sort((a, b) => Date.parse(b.time) - Date.parse(a.time))
    .slice(0, max)
    .map((entry) => ({
      time: entry.time,
      connected: entry.connected === 1,
      reason: entry.disconnectReason ? cut(entry.disconnectReason) : null,
      method: entry.method ? cut(entry.method) : null,
      ipAddress: entry.ipAddress ? cut(entry.ipAddress) : null,
    }));
}
