import type { Clock } from './clock';
import type {
  AccessKey,
  ApiToken,
  Application,
  Device,
  LogEntry,
  OauthToken,
  Org,
  PlatformState,
  SimEvent,
  User,
} from './types';

const MAX_LOG_ENTRIES = 200;
const MAX_EVENTS = 5000;

/**
 * The platform's data with lookup indexes. Route handlers read and change entities through it and
 * call `changed()` after a change, which tells the persistence layer (if any) to write.
 */
export class PlatformStore {
  private users = new Map<string, User>();
  private usersByEmail = new Map<string, User>();
  private orgs = new Map<string, Org>();
  private applications = new Map<string, Application>();
  private devices = new Map<string, Device>();
  private keys = new Map<string, AccessKey>();
  private keysByKey = new Map<string, AccessKey>();
  private apiTokens = new Map<string, ApiToken>();
  private oauthTokens = new Map<string, OauthToken>();
  private oauthTokensByGrant = new Map<string, OauthToken>();
  private eventListeners = new Set<(event: SimEvent) => void>();

  constructor(
    public state: PlatformState,
    private readonly clock: Clock,
    private readonly onChange: () => void = () => undefined,
  ) {
    this.reindex();
  }

  replace(state: PlatformState): void {
    this.state = state;
    this.reindex();
    this.changed();
  }

  changed(): void {
    this.onChange();
  }

  private reindex(): void {
    const index = <T extends { id: string }>(items: T[]) => new Map(items.map((item) => [item.id, item]));
    this.users = index(this.state.users);
    this.usersByEmail = new Map(this.state.users.map((user) => [user.email.toLowerCase(), user]));
    this.orgs = index(this.state.orgs);
    this.applications = index(this.state.applications);
    this.devices = index(this.state.devices);
    this.keys = index(this.state.keys);
    this.keysByKey = new Map(this.state.keys.map((key) => [key.key, key]));
    this.apiTokens = index(this.state.apiTokens);
    this.oauthTokens = index(this.state.oauthTokens);
    this.oauthTokensByGrant = new Map(this.state.oauthTokens.map((token) => [token.grantId, token]));
  }

  user = (id: string) => this.users.get(id);
  userByEmail = (email: string) => this.usersByEmail.get(email.trim().toLowerCase());
  org = (id: string) => this.orgs.get(id);
  application = (id: string) => this.applications.get(id);
  device = (id: string) => this.devices.get(id);
  /** Keys including deleted ones (callers decide what a deleted key means). */
  keyById = (id: string) => this.keys.get(id);
  keyByKey = (key: string) => this.keysByKey.get(key);
  apiToken = (id: string) => this.apiTokens.get(id);
  oauthToken = (id: string) => this.oauthTokens.get(id);
  oauthTokenByGrant = (grantId: string) => this.oauthTokensByGrant.get(grantId);

  devicesOf(applicationId: string): Device[] {
    return this.state.devices.filter((device) => device.applicationId === applicationId);
  }

  liveKeysOf(applicationId: string): AccessKey[] {
    return this.state.keys.filter((key) => key.applicationId === applicationId && !key.deletedAt);
  }

  addUser(user: User): void {
    this.state.users.push(user);
    this.users.set(user.id, user);
    this.usersByEmail.set(user.email.toLowerCase(), user);
  }

  addOrg(org: Org): void {
    this.state.orgs.push(org);
    this.orgs.set(org.id, org);
  }

  addApplication(application: Application): void {
    this.state.applications.push(application);
    this.applications.set(application.id, application);
  }

  addDevice(device: Device): void {
    this.state.devices.push(device);
    this.devices.set(device.id, device);
  }

  removeDevice(id: string): void {
    this.state.devices = this.state.devices.filter((device) => device.id !== id);
    this.devices.delete(id);
    delete this.state.compositeState[id];
    // The connection log stays readable for diagnosis only while the device exists.
    delete this.state.logs[id];
  }

  addKey(key: AccessKey): void {
    this.state.keys.push(key);
    this.keys.set(key.id, key);
    this.keysByKey.set(key.key, key);
  }

  addApiToken(token: ApiToken): void {
    this.state.apiTokens.push(token);
    this.apiTokens.set(token.id, token);
  }

  removeApiToken(id: string): void {
    this.state.apiTokens = this.state.apiTokens.filter((token) => token.id !== id);
    this.apiTokens.delete(id);
  }

  addOauthToken(token: OauthToken): void {
    this.state.oauthTokens.push(token);
    this.oauthTokens.set(token.id, token);
    this.oauthTokensByGrant.set(token.grantId, token);
  }

  removeOauthToken(id: string): OauthToken | undefined {
    const token = this.oauthTokens.get(id);
    if (!token) return undefined;
    this.state.oauthTokens = this.state.oauthTokens.filter((candidate) => candidate.id !== id);
    this.oauthTokens.delete(id);
    this.oauthTokensByGrant.delete(token.grantId);
    return token;
  }

  appendLog(deviceId: string, entry: LogEntry): void {
    const log = (this.state.logs[deviceId] ??= []);
    log.push(entry);
    if (log.length > MAX_LOG_ENTRIES) log.splice(0, log.length - MAX_LOG_ENTRIES);
  }

  /** Records what happened for `/__sim/events`. Details must never hold a secret or a token. */
  recordEvent(type: string, details: Record<string, unknown> = {}): SimEvent {
    const event: SimEvent = {
      seq: ++this.state.eventSeq,
      time: new Date(this.clock.now()).toISOString(),
      type,
      ...details,
    };
    this.state.events.push(event);
    if (this.state.events.length > MAX_EVENTS) this.state.events.splice(0, this.state.events.length - MAX_EVENTS);
    for (const listener of this.eventListeners) listener(event);
    return event;
  }

  onEvent(listener: (event: SimEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }
}
