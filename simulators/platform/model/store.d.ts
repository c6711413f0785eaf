import type { Clock } from './clock';
import type { AccessKey, ApiToken, Application, Device, LogEntry, OauthToken, Org, PlatformState, SimEvent, User } from './types';
/**
 * The platform's data with lookup indexes. Route handlers read and change entities through it and
 * call `changed()` after a change, which tells the persistence layer (if any) to write.
 */
export declare class PlatformStore {
    state: PlatformState;
    private readonly clock;
    private readonly onChange;
    private users;
    private usersByEmail;
    private orgs;
    private applications;
    private devices;
    private keys;
    private keysByKey;
    private apiTokens;
    private oauthTokens;
    private oauthTokensByGrant;
    private eventListeners;
    constructor(state: PlatformState, clock: Clock, onChange?: () => void);
    replace(state: PlatformState): void;
    changed(): void;
    private reindex;
    user: (id: string) => User | undefined;
    userByEmail: (email: string) => User | undefined;
    org: (id: string) => Org | undefined;
    application: (id: string) => Application | undefined;
    device: (id: string) => Device | undefined;
    /** Keys including deleted ones (callers decide what a deleted key means). */
    keyById: (id: string) => AccessKey | undefined;
    keyByKey: (key: string) => AccessKey | undefined;
    apiToken: (id: string) => ApiToken | undefined;
    oauthToken: (id: string) => OauthToken | undefined;
    oauthTokenByGrant: (grantId: string) => OauthToken | undefined;
    devicesOf(applicationId: string): Device[];
    liveKeysOf(applicationId: string): AccessKey[];
    addUser(user: User): void;
    addOrg(org: Org): void;
    addApplication(application: Application): void;
    addDevice(device: Device): void;
    removeDevice(id: string): void;
    addKey(key: AccessKey): void;
    addApiToken(token: ApiToken): void;
    removeApiToken(id: string): void;
    addOauthToken(token: OauthToken): void;
    removeOauthToken(id: string): OauthToken | undefined;
    appendLog(deviceId: string, entry: LogEntry): void;
    /** Records what happened for `/__sim/events`. Details must never hold a secret or a token. */
    recordEvent(type: string, details?: Record<string, unknown>): SimEvent;
    onEvent(listener: (event: SimEvent) => void): () => void;
}
