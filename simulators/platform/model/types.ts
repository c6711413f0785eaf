/**
 * The simulator's whole world as plain JSON: what the platform knows. One `PlatformState` is held in
 * memory and, with `--data DIR`, written to disk as one file (see `persistence.ts`).
 */

export const ROLES = ['none', 'view', 'collaborate', 'edit', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const DEVICE_CLASSES = [
  'standalone',
  'gateway',
  'peripheral',
  'floating',
  'edgeCompute',
  'system',
  'embedded',
] as const;
export type DeviceClass = (typeof DEVICE_CLASSES)[number];

export const ATTRIBUTE_TYPES = ['string', 'number', 'gps', 'boolean', 'blob'] as const;
export type AttributeType = (typeof ATTRIBUTE_TYPES)[number];

export type Status = 'active' | 'inactive';
/** Who did something: a user, an API token (application or user), a device, or the simulator itself. */
export type ActorType = 'user' | 'apiToken' | 'flow';

export interface Tag {
  key: string;
  value: string;
}

export interface OrgRole {
  orgId: string;
  role: Role;
}

export interface User {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  /** HMAC-SHA-256 of the password under the server key (a sandbox, not a password store). */
  passwordHmac: string;
  /** Shown on the login page as "Sign in as the demo <label>" when set. */
  demoLabel?: string;
  creationDate: string;
}

export interface Org {
  id: string;
  name: string;
  description: string;
  members: { userId: string; role: Role }[];
  creationDate: string;
  lastUpdated: string;
}

export interface Application {
  id: string;
  orgId: string;
  name: string;
  description: string;
  creationDate: string;
  lastUpdated: string;
}

export interface Attribute {
  name: string;
  dataType: AttributeType;
  /** Content type of a `blob` attribute. */
  contentType?: string;
  description?: string;
  attributeTags?: Record<string, string>;
}

export interface Device {
  id: string;
  applicationId: string;
  name: string;
  description: string;
  deviceClass: DeviceClass;
  tags: Tag[];
  attributes: Attribute[];
  connectionInfo: { connected: 0 | 1 | null; time: string | null };
  creationDate: string;
  lastUpdated: string;
  /** Optional device fields of the official schemas, kept and echoed as given. */
  gatewayId?: string;
  parentId?: string | null;
  systemInterval?: number;
  keepDuplicates?: boolean;
}

export interface AccessKey {
  id: string;
  applicationId: string;
  key: string;
  /** HMAC-SHA-256 of the secret under the server key; the secret itself is never stored. */
  secretHmac: string;
  status: Status;
  name?: string;
  description?: string;
  deviceIds: string[];
  /** A tag without value matches any device carrying the key. */
  deviceTags: { key: string; value?: string }[];
  filterType?: string;
  pubTopics?: string[];
  subTopics?: string[];
  addressFilterType?: string;
  addresses?: string[];
  creationDate: string;
  lastUpdated: string;
  createdById: string;
  createdByType: ActorType;
  lastUpdatedById: string;
  lastUpdatedByType: ActorType;
  /** Deleted keys are kept so that `/auth/device` can say "deleted" rather than "not found". */
  deletedAt?: string;
}

export interface ApiToken {
  id: string;
  ownerId: string;
  ownerType: 'application' | 'user';
  creatorId: string;
  creatorType: ActorType;
  creatorName: string;
  name: string;
  description: string;
  creationDate: string;
  lastUpdated: string;
  expirationDate?: string;
  scope: string[];
  status: Status;
  /** User tokens only: cap on the user's role in every organization, and per-organization overrides. */
  defaultRole?: Role;
  orgRoles?: OrgRole[];
}

export interface OauthToken {
  id: string;
  userId: string;
  grantId: string;
  clientId: string;
  clientName: string;
  redirectUri: string | null;
  name: string;
  description: string;
  scope: string[];
  status: Status;
  authorizationStatus: 'pending' | 'authorized';
  defaultRole: Role;
  orgRoles: OrgRole[];
  creationDate: string;
  lastUpdated: string;
  expirationDate?: string;
}

export interface LogEntry {
  connected: 0 | 1;
  time: string;
  method: string;
  disconnectReason?: string;
  ipAddress?: string;
}

export interface StateValue {
  value: unknown;
  time: string;
}

export interface SimEvent {
  seq: number;
  time: string;
  type: string;
  [detail: string]: unknown;
}

/** One stored oidc-provider artifact (session, grant, code, refresh token, registered client...). */
export interface OidcRecord {
  payload: Record<string, unknown>;
  /** Epoch milliseconds (real time: oidc-provider keeps its own clock). */
  expiresAt?: number;
}

export interface PlatformState {
  version: 1;
  users: User[];
  orgs: Org[];
  applications: Application[];
  devices: Device[];
  keys: AccessKey[];
  apiTokens: ApiToken[];
  oauthTokens: OauthToken[];
  /** deviceId -> attribute -> last value. */
  compositeState: Record<string, Record<string, StateValue>>;
  /** deviceId -> connection log, newest last. */
  logs: Record<string, LogEntry[]>;
  events: SimEvent[];
  eventSeq: number;
  /** `${model}:${id}` -> artifact. */
  oidc: Record<string, OidcRecord>;
}

export function emptyState(): PlatformState {
  return {
    version: 1,
    users: [],
    orgs: [],
    applications: [],
    devices: [],
    keys: [],
    apiTokens: [],
    oauthTokens: [],
    compositeState: {},
    logs: {},
    events: [],
    eventSeq: 0,
    oidc: {},
  };
}
