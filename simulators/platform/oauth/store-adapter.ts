import { createHash } from 'node:crypto';
import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { PlatformStore } from '../model/store';

/**
 * Models whose id is the bearer value itself (opaque refresh tokens, authorization codes...): they
 * are stored under a SHA-256 of the value, without it, so the state file holds no usable token.
 * Sessions, interactions and device codes keep their ids (oidc-provider finds those by uid or
 * user code and needs the id back).
 */
const HASHED_MODELS = new Set([
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'ClientCredentials',
  'RegistrationAccessToken',
  'InitialAccessToken',
]);

function digest(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}

/**
 * oidc-provider's storage in the simulator's own state (so `--data DIR` keeps sessions, grants,
 * refresh tokens and registered clients, and `/__sim/reset` clears them). One adapter instance per
 * model name; expiry in real time, as oidc-provider reckons it.
 */
export class StoreAdapter implements Adapter {
  private static upserts = 0;

  constructor(
    private readonly model: string,
    private readonly store: PlatformStore,
  ) {}

  private get hashed(): boolean {
    return HASHED_MODELS.has(this.model);
  }

  private key(id: string): string {
    return this.hashed ? `${this.model}:#${digest(id)}` : `${this.model}:${id}`;
  }

  private records() {
    return this.store.state.oidc;
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn: number | undefined): Promise<void> {
    const stored = structuredClone(payload);
    if (this.hashed) delete stored.jti;
    this.records()[this.key(id)] = {
      payload: stored,
      ...(typeof expiresIn === 'number' ? { expiresAt: Date.now() + expiresIn * 1000 } : {}),
    };
    if (++StoreAdapter.upserts % 200 === 0) this.prune();
    this.store.changed();
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    const record = this.records()[this.key(id)];
    if (!record) return undefined;
    if (record.expiresAt !== undefined && record.expiresAt <= Date.now()) {
      delete this.records()[this.key(id)];
      this.store.changed();
      return undefined;
    }
    const payload = structuredClone(record.payload) as AdapterPayload;
    return this.hashed ? { ...payload, jti: id } : payload;
  }

  private findBy(field: 'userCode' | 'uid', value: string): Promise<AdapterPayload | undefined> {
    // Only used for Session (uid) and DeviceCode (userCode), whose ids are stored as they are.
    const prefix = `${this.model}:`;
    for (const [key, record] of Object.entries(this.records())) {
      if (key.startsWith(prefix) && record.payload[field] === value) return this.find(key.slice(prefix.length));
    }
    return Promise.resolve(undefined);
  }

  findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    return this.findBy('userCode', userCode);
  }

  findByUid(uid: string): Promise<AdapterPayload | undefined> {
    return this.findBy('uid', uid);
  }

  async consume(id: string): Promise<void> {
    const record = this.records()[this.key(id)];
    if (record) {
      record.payload.consumed = Math.floor(Date.now() / 1000);
      this.store.changed();
    }
  }

  async destroy(id: string): Promise<void> {
    delete this.records()[this.key(id)];
    this.store.changed();
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    const prefix = `${this.model}:`;
    for (const [key, record] of Object.entries(this.records())) {
      if (key.startsWith(prefix) && record.payload.grantId === grantId) delete this.records()[key];
    }
    this.store.changed();
  }

  /** Drops expired artifacts of every model so the state does not grow without bound. */
  private prune(): void {
    const now = Date.now();
    for (const [key, record] of Object.entries(this.records())) {
      if (record.expiresAt !== undefined && record.expiresAt <= now) delete this.records()[key];
    }
  }
}
