import type { Capability } from './roles';

/**
 * The calls the simulator serves, named after the official client's methods (which are also the
 * scope names), with what each touches. `level` decides which scope groups can cover the call;
 * `sensitive` calls (token management) are outside every `.bounded` group.
 */
export type CallLevel = 'user' | 'org' | 'orgApps' | 'application' | 'device';

export interface CallSpec {
  level: CallLevel;
  capability: Capability | null;
  sensitive?: boolean;
}

export const CALLS = {
  'me.get': { level: 'user', capability: null },
  'orgs.get': { level: 'org', capability: 'read' },
  'org.get': { level: 'org', capability: 'read' },
  'applications.get': { level: 'orgApps', capability: 'read' },
  'application.get': { level: 'application', capability: 'read' },
  'devices.get': { level: 'application', capability: 'read' },
  'devices.post': { level: 'application', capability: 'deviceWrite' },
  'device.get': { level: 'device', capability: 'read' },
  'device.patch': { level: 'device', capability: 'deviceWrite' },
  'device.delete': { level: 'device', capability: 'deviceWrite' },
  'device.sendState': { level: 'device', capability: 'deviceWrite' },
  'device.getCompositeState': { level: 'device', capability: 'read' },
  'device.getLogEntries': { level: 'device', capability: 'read' },
  'applicationKeys.get': { level: 'application', capability: 'read' },
  'applicationKeys.post': { level: 'application', capability: 'keyWrite' },
  'applicationKey.get': { level: 'application', capability: 'read' },
  'applicationKey.patch': { level: 'application', capability: 'keyWrite' },
  'applicationKey.delete': { level: 'application', capability: 'keyWrite' },
  'applicationApiTokens.get': { level: 'application', capability: 'read' },
  'applicationApiTokens.post': { level: 'application', capability: 'tokenWrite', sensitive: true },
  'applicationApiToken.get': { level: 'application', capability: 'read' },
  'applicationApiToken.patch': { level: 'application', capability: 'tokenWrite', sensitive: true },
  'applicationApiToken.delete': { level: 'application', capability: 'tokenWrite', sensitive: true },
  'userApiTokens.get': { level: 'user', capability: null },
  'userApiTokens.post': { level: 'user', capability: null, sensitive: true },
  'userApiToken.get': { level: 'user', capability: null },
  'userApiToken.patch': { level: 'user', capability: null, sensitive: true },
  'userApiToken.delete': { level: 'user', capability: null, sensitive: true },
  'userOauthTokens.get': { level: 'user', capability: null },
  'userOauthToken.get': { level: 'user', capability: null },
  'userOauthToken.patch': { level: 'user', capability: null, sensitive: true },
  'userOauthToken.delete': { level: 'user', capability: null, sensitive: true },
} as const satisfies Record<string, CallSpec>;

export type CallName = keyof typeof CALLS;

const GROUPS_BY_LEVEL: Record<CallLevel, string[]> = {
  user: ['all.User', 'only.User'],
  org: ['all.User', 'all.Organization', 'only.Organization'],
  orgApps: ['all.User', 'all.Organization', 'only.Organization', 'all.Application'],
  application: ['all.User', 'all.Organization', 'all.Application'],
  device: ['all.User', 'all.Organization', 'all.Application', 'all.Device'],
};

/**
 * Every scope that allows `call`: its own name, `<resource>.*`, and the groups of its level with
 * `.read` (for reads) and `.bounded` (unless sensitive). `all.Device[.read]` only counts when
 * `deviceGroupApplies` (a device token on its own device, or an application token).
 */
export function scopesAllowing(call: CallName, deviceGroupApplies: boolean): Set<string> {
  const spec: CallSpec = CALLS[call];
  const [resource, action] = call.split('.') as [string, string];
  const read = action.startsWith('get');
  const allowed = new Set([call, `${resource}.*`]);
  for (const group of GROUPS_BY_LEVEL[spec.level]) {
    if (group === 'all.Device' && !deviceGroupApplies) continue;
    allowed.add(group);
    if (read) allowed.add(`${group}.read`);
    if (!spec.sensitive && group !== 'all.Device') allowed.add(`${group}.bounded`);
  }
  return allowed;
}

export function scopeAllows(scopes: readonly string[], call: CallName, deviceGroupApplies: boolean): boolean {
  const allowed = scopesAllowing(call, deviceGroupApplies);
  return scopes.some((scope) => allowed.has(scope));
}

/** Scope groups that name no single call. */
export const SCOPE_GROUPS = [
  'all.Application',
  'all.Application.read',
  'all.Application.bounded',
  'all.Organization',
  'all.Organization.read',
  'all.Organization.bounded',
  'only.Organization',
  'only.Organization.read',
  'only.Organization.bounded',
  'all.User',
  'all.User.read',
  'all.User.bounded',
  'only.User',
  'only.User.read',
  'all.Device',
  'all.Device.read',
] as const;

/** The scopes an application API token may hold (no user or organization groups). */
export const APPLICATION_SCOPE_GROUPS = [
  'all.Application',
  'all.Application.read',
  'all.Application.bounded',
  'all.Device',
  'all.Device.read',
];

/** Per-call scopes look like `devices.post` or `devices.*`. Unknown resources are still accepted. */
export const CALL_SCOPE_PATTERN = /^[a-z][A-Za-z]*\.(\*|[a-z][A-Za-z]*)$/;

/** Scopes a device may ask for in `/auth/device` `requestedScopes` (from the official schema). */
export const DEVICE_REQUESTABLE_SCOPES = [
  'all.Device',
  'all.Device.read',
  'data.export',
  'data.timeSeriesQuery',
  'data.lastValueQuery',
  'device.commandStream',
  'device.get',
  'device.getCompositeState',
  'device.getState',
  'device.stateStream',
  'device.getLogEntries',
  'device.getCommand',
  'device.debug',
  'device.sendState',
  'device.sendCommand',
  'device.setConnectionStatus',
  'devices.get',
  'devices.sendCommand',
] as const;

/** The scopes a third-party OAuth client may request, with the words the consent page shows. */
export const OAUTH_SCOPE_DESCRIPTIONS: Record<string, string> = {
  'all.Application.read':
    'Read all application data: devices, their state and connection logs, access keys (never their secrets), and more.',
  'all.Application.bounded':
    'Read and change all application data: create devices, report state, create and revoke access keys. It cannot manage API tokens.',
  'only.Organization.read': 'Read your organizations and list their applications, without access to application data.',
  'only.Organization.bounded':
    'Read and change your organizations and list their applications, without access to application data.',
  'all.Organization.read': 'Read your organizations and all of their application data.',
  'all.Organization.bounded':
    'Read and change your organizations and all of their application data. It cannot manage API tokens or members.',
  'only.User.read': 'Read your profile: name and email address.',
};
