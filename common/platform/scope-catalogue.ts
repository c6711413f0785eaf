/**
 * The data behind `scopes.ts`: every named scope group of the platform (platform-api.md, "Scopes"),
 * the resources Keyline knows by name, and the capabilities a support person asks about ("can
 * this token create access keys?"), each in plain words. Logic lives in `scopes.ts`; this file is
 * only the catalogue, so that wording can be reviewed in one place.
 */

/** How far a group reaches: which resources it covers. */
export type GroupReach = 'application' | 'organization' | 'organizationOnly' | 'user' | 'userOnly' | 'device';
/** What a group allows on what it reaches. `bounded` = read and write, minus the sensitive actions. */
export type GroupAccess = 'full' | 'read' | 'bounded';

export interface GroupDefinition {
  readonly reach: GroupReach;
  readonly access: GroupAccess;
  readonly title: string;
  readonly summary: string;
  readonly can: readonly string[];
  readonly cannot: readonly string[];
}

const BOUNDED_EXCLUSIONS = [
  'Create, change or delete API tokens',
  'Manage organization members and invitations',
  'Transfer resources to another owner',
  "Change the user's own password or two-factor settings",
];

export const SCOPE_GROUPS = {
  'all.Application': {
    reach: 'application',
    access: 'full',
    title: 'Full access to applications',
    summary:
      'Reads and changes everything inside its applications (an application API token: only its own), ' +
      "including the application's API tokens. Nothing outside applications.",
    can: [
      'Read and change devices, device state, access keys, workflows, data and the application itself',
      'Create devices and access keys',
      "Create, change and delete the application's API tokens, which can be as broad as this one",
    ],
    cannot: ['Reach organizations, their members or the user profile'],
  },
  'all.Application.read': {
    reach: 'application',
    access: 'read',
    title: 'Read-only access to applications',
    summary:
      'Reads everything inside its applications (devices, state, access keys, workflows, data); changes nothing.',
    can: ['Read devices, device state, connection logs, access keys (never their secrets), workflows and data'],
    cannot: ['Change anything', 'Report device state', 'Create devices, access keys or API tokens'],
  },
  'all.Application.bounded': {
    reach: 'application',
    access: 'bounded',
    title: 'Read and write access to applications, without the sensitive actions',
    summary:
      'Reads and changes everything inside its applications, creating devices and access keys included, ' +
      'but cannot manage API tokens, organization members and invitations, transfers or user credentials.',
    can: [
      'Read and change devices, device state, access keys, workflows, data and the application itself',
      'Create devices and access keys',
    ],
    cannot: [...BOUNDED_EXCLUSIONS, 'Reach organizations or the user profile'],
  },
  'all.Organization': {
    reach: 'organization',
    access: 'full',
    title: 'Full access to organizations and all their applications',
    summary:
      'Reads and changes organizations, their members and invitations, and everything inside their ' +
      'applications, API tokens and transfers included.',
    can: [
      'Read and change organizations, their members and invitations',
      'Read and change everything inside their applications, API tokens included',
      'Transfer resources to another owner',
    ],
    cannot: ["Reach the user's own profile and tokens"],
  },
  'all.Organization.read': {
    reach: 'organization',
    access: 'read',
    title: 'Read-only access to organizations and all their applications',
    summary: 'Reads organizations and everything inside their applications; changes nothing.',
    can: ['Read organizations, their applications and everything inside them'],
    cannot: ['Change anything', 'Report device state', 'Create devices, access keys or API tokens'],
  },
  'all.Organization.bounded': {
    reach: 'organization',
    access: 'bounded',
    title: 'Read and write access to organizations and their applications, without the sensitive actions',
    summary:
      'Reads and changes organizations and everything inside their applications, creating devices and ' +
      'access keys included, but cannot manage API tokens, members and invitations, transfers or user credentials.',
    can: ['Read and change organizations and everything inside their applications', 'Create devices and access keys'],
    cannot: [...BOUNDED_EXCLUSIONS, "Reach the user's own profile and tokens"],
  },
  'only.Organization': {
    reach: 'organizationOnly',
    access: 'full',
    title: 'Full access to organizations, not their application contents',
    summary:
      'Reads and changes organizations, their members and invitations, and lists their applications; ' +
      'nothing inside the applications.',
    can: ['Read and change organizations, their members and invitations', 'List their applications'],
    cannot: ['Read or change anything inside applications (devices, access keys, state)'],
  },
  'only.Organization.read': {
    reach: 'organizationOnly',
    access: 'read',
    title: 'Read-only access to organizations, not their application contents',
    summary: 'Reads organizations and the list of their applications; nothing inside the applications.',
    can: ['Read organizations and list their applications'],
    cannot: ['Change anything', 'Read or change anything inside applications (devices, access keys, state)'],
  },
  'only.Organization.bounded': {
    reach: 'organizationOnly',
    access: 'bounded',
    title: 'Read and write access to organizations, not their application contents',
    summary:
      'Reads and changes organizations and lists their applications, but cannot manage members and ' +
      'invitations or transfers, and sees nothing inside the applications.',
    can: ['Read and change organizations', 'List their applications'],
    cannot: [
      'Manage organization members and invitations',
      'Transfer resources to another owner',
      'Read or change anything inside applications (devices, access keys, state)',
    ],
  },
  'all.User': {
    reach: 'user',
    access: 'full',
    title: 'Everything the user can do',
    summary:
      "Acts as the user everywhere: the user's profile and tokens, their organizations and every application " +
      'they can reach, sensitive actions included.',
    can: [
      "Read and change the user's profile, API tokens and OAuth tokens",
      'Read and change organizations and everything inside their applications',
      "Change the user's own password and two-factor settings",
    ],
    cannot: ["Exceed the user's own role in an organization"],
  },
  'all.User.read': {
    reach: 'user',
    access: 'read',
    title: 'Read-only access to everything the user can see',
    summary: "Reads the user's profile, tokens, organizations and applications; changes nothing.",
    can: ["Read the user's profile, tokens, organizations and everything inside their applications"],
    cannot: ['Change anything', 'Report device state', 'Create devices, access keys or API tokens'],
  },
  'all.User.bounded': {
    reach: 'user',
    access: 'bounded',
    title: 'Read and write access as the user, without the sensitive actions',
    summary:
      'Reads and changes what the user can, creating devices and access keys included, but cannot manage ' +
      "API tokens, members and invitations, transfers or the user's credentials.",
    can: [
      "Read the user's profile and tokens",
      'Read and change organizations and everything inside their applications',
      'Create devices and access keys',
    ],
    cannot: BOUNDED_EXCLUSIONS,
  },
  'only.User': {
    reach: 'userOnly',
    access: 'full',
    title: "Full access to the user's own profile",
    summary:
      "Reads and changes the user's profile, API tokens, OAuth tokens and credentials; nothing in organizations or applications.",
    can: [
      "Read and change the user's profile, API tokens and OAuth tokens",
      'Change the password and two-factor settings',
    ],
    cannot: ['Read or change organizations or applications'],
  },
  'only.User.read': {
    reach: 'userOnly',
    access: 'read',
    title: "Read-only access to the user's own profile",
    summary: "Reads the user's profile (name, email, sandbox usage) and lists the user's tokens; nothing else.",
    can: ["Read the user's profile and list the user's API and OAuth tokens"],
    cannot: ['Change anything', 'Read or change organizations or applications'],
  },
  'all.Device': {
    reach: 'device',
    access: 'full',
    title: 'What a device does for itself',
    summary:
      "Reports state for its own device and reads that device's record, state, commands and connection log. " +
      'Only the one device the token was issued to.',
    can: [
      'Report state and connection status for its own device',
      "Read its own device's record, state, commands and connection log",
      'Send commands to its own device',
    ],
    cannot: [
      'Reach any other device',
      'Change device settings, create or delete devices',
      'Read or create access keys or API tokens',
    ],
  },
  'all.Device.read': {
    reach: 'device',
    access: 'read',
    title: 'Read-only access to its own device',
    summary: "Reads its own device's record, state, commands and connection log; reports nothing.",
    can: ["Read its own device's record, state, commands and connection log"],
    cannot: ['Report state', 'Reach any other device', 'Change anything'],
  },
} as const satisfies Record<string, GroupDefinition>;

export type ScopeGroup = keyof typeof SCOPE_GROUPS;

/** Scopes a third-party OAuth client may request (the server's `scopes_supported`). */
export const THIRD_PARTY_SCOPES = [
  'all.Application.read',
  'all.Application.bounded',
  'only.Organization.read',
  'only.Organization.bounded',
  'all.Organization.read',
  'all.Organization.bounded',
  'only.User.read',
] as const satisfies readonly ScopeGroup[];

/** Where a resource lives: which groups can reach it. */
export type ResourceLevel = 'application' | 'organization' | 'user';

export interface ResourceDefinition {
  readonly level: ResourceLevel;
  /** Plain words for the resource, plural for collections ("access keys"), singular for items ("an access key"). */
  readonly words: string;
  /** A collection (`devices`) rather than one item (`device`): `get` lists, `post` creates. */
  readonly collection?: true;
  /** `only.Organization*` may only read it (the list of an organization's applications). */
  readonly listingOnly?: true;
}

/** Resources Keyline knows by name. A `<resource>.<action>` scope of any other resource is matched exactly only. */
export const RESOURCES: Readonly<Record<string, ResourceDefinition>> = {
  me: { level: 'user', words: "the user's own profile" },
  userApiTokens: { level: 'user', words: "the user's API tokens", collection: true },
  userApiToken: { level: 'user', words: "one of the user's API tokens" },
  userOauthTokens: { level: 'user', words: "the user's OAuth tokens", collection: true },
  userOauthToken: { level: 'user', words: "one of the user's OAuth tokens" },
  orgs: { level: 'organization', words: 'organizations', collection: true },
  org: { level: 'organization', words: 'an organization' },
  orgInvites: { level: 'organization', words: 'organization invitations', collection: true },
  orgInvite: { level: 'organization', words: 'an organization invitation' },
  applications: { level: 'organization', words: 'applications', collection: true, listingOnly: true },
  application: { level: 'application', words: 'an application' },
  applicationApiTokens: { level: 'application', words: 'application API tokens', collection: true },
  applicationApiToken: { level: 'application', words: 'an application API token' },
  applicationKeys: { level: 'application', words: 'access keys', collection: true },
  applicationKey: { level: 'application', words: 'an access key' },
  devices: { level: 'application', words: 'devices', collection: true },
  device: { level: 'application', words: 'a device' },
  deviceRecipes: { level: 'application', words: 'device recipes', collection: true },
  deviceRecipe: { level: 'application', words: 'a device recipe' },
  data: { level: 'application', words: 'device data' },
  events: { level: 'application', words: 'events', collection: true },
  event: { level: 'application', words: 'an event' },
  flows: { level: 'application', words: 'workflows', collection: true },
  flow: { level: 'application', words: 'a workflow' },
  webhooks: { level: 'application', words: 'webhooks', collection: true },
  webhook: { level: 'application', words: 'a webhook' },
  integrations: { level: 'application', words: 'integrations', collection: true },
  integration: { level: 'application', words: 'an integration' },
  dataTables: { level: 'application', words: 'data tables', collection: true },
  dataTable: { level: 'application', words: 'a data table' },
  files: { level: 'application', words: 'files', collection: true },
  file: { level: 'application', words: 'a file' },
  experienceUsers: { level: 'application', words: 'experience users', collection: true },
  experienceUser: { level: 'application', words: 'an experience user' },
};

/** Actions that only read, beyond `get` and `get<Something>`. */
export const READ_ACTIONS: ReadonlySet<string> = new Set([
  'export',
  'payloadCounts',
  'pendingInvites',
  'timeSeriesQuery',
  'lastValueQuery',
  'search',
]);

/** The calls `all.Device` allows, always for the token's own device only. */
export const DEVICE_CALLS: ReadonlySet<string> = new Set([
  'device.get',
  'device.getState',
  'device.getCompositeState',
  'device.getCommand',
  'device.getLogEntries',
  'device.sendState',
  'device.sendCommand',
  'device.setConnectionStatus',
]);

/** The sensitive actions no `.bounded` scope allows, by category, with calls that stand for each. */
export type SensitiveCategory = 'apiTokens' | 'members' | 'transfer' | 'credentials';

export const SENSITIVE = {
  apiTokens: {
    words: 'create, change or delete API tokens (and a token that may create tokens may create broader ones)',
    calls: [
      'applicationApiTokens.post',
      'applicationApiToken.patch',
      'applicationApiToken.delete',
      'userApiTokens.post',
      'userApiToken.patch',
      'userApiToken.delete',
      'userOauthToken.patch',
      'userOauthToken.delete',
    ],
  },
  members: {
    words: 'manage organization members and invitations',
    calls: ['org.inviteMember', 'org.modifyMember', 'org.removeMember', 'org.revokeInvite', 'org.resendInvite'],
  },
  transfer: {
    words: 'transfer resources to another owner',
    calls: ['org.transferResources', 'me.transferResources'],
  },
  credentials: {
    words: "change the user's own password or two-factor settings",
    calls: ['me.changePassword', 'me.enableTwoFactorAuth', 'me.disableTwoFactorAuth'],
  },
} as const satisfies Record<SensitiveCategory, { words: string; calls: readonly string[] }>;

export const TOKEN_RESOURCES: ReadonlySet<string> = new Set([
  'applicationApiTokens',
  'applicationApiToken',
  'userApiTokens',
  'userApiToken',
  'userOauthTokens',
  'userOauthToken',
]);

/**
 * What support staff ask a token about, each with the calls that prove it. `explainScopes` lists a
 * capability under "can" when the scopes allow all of its calls, under "cannot" when they allow none,
 * and under both, naming the calls, when they allow only some.
 */
export interface Capability {
  readonly words: string;
  readonly calls: readonly string[];
}

export const CAPABILITIES: readonly Capability[] = [
  { words: 'List the devices of an application', calls: ['devices.get'] },
  {
    words: "Read a device's record, state and connection log",
    calls: ['device.get', 'device.getCompositeState', 'device.getLogEntries'],
  },
  { words: 'Report device state', calls: ['device.sendState'] },
  { words: 'Create devices', calls: ['devices.post'] },
  { words: 'Change and delete devices', calls: ['device.patch', 'device.delete'] },
  {
    words: 'List access keys and read their status (never their secrets)',
    calls: ['applicationKeys.get', 'applicationKey.get'],
  },
  { words: 'Create access keys (device credentials)', calls: ['applicationKeys.post'] },
  { words: 'Deactivate, reactivate and delete access keys', calls: ['applicationKey.patch', 'applicationKey.delete'] },
  {
    words: 'Read and change the application and its workflows',
    calls: ['application.get', 'application.patch', 'flows.post'],
  },
  { words: "List the application's API tokens", calls: ['applicationApiTokens.get'] },
  {
    words: "Create, change or delete the application's API tokens",
    calls: ['applicationApiTokens.post', 'applicationApiToken.patch', 'applicationApiToken.delete'],
  },
  { words: 'Read organizations and list their applications', calls: ['orgs.get', 'org.get', 'applications.get'] },
  { words: 'Change organization settings', calls: ['org.patch'] },
  {
    words: 'Manage organization members and invitations',
    calls: ['org.inviteMember', 'org.modifyMember', 'org.removeMember'],
  },
  { words: 'Transfer resources to another owner', calls: ['org.transferResources'] },
  { words: "Read the user's profile", calls: ['me.get'] },
  { words: "List the user's API and OAuth tokens", calls: ['userApiTokens.get', 'userOauthTokens.get'] },
  {
    words: "Create, change or delete the user's API and OAuth tokens",
    calls: [
      'userApiTokens.post',
      'userApiToken.patch',
      'userApiToken.delete',
      'userOauthToken.patch',
      'userOauthToken.delete',
    ],
  },
  {
    words: "Change the user's own password and two-factor settings",
    calls: ['me.changePassword', 'me.enableTwoFactorAuth'],
  },
];
