import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { PlatformStore } from '../model/store';

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

  private key(id: string): string {
    return `${this.model}:${id}`;
  }

  private records() {
    return this.store.state.oidc;
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn: number | undefined): Promise<void> {
    this.records()[this.key(id)] = {
      payload: structuredClone(payload),
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
    return structuredClone(record.payload) as AdapterPayload;
  }

  private findBy(field: 'userCode' | 'uid', value: string): Promise<AdapterPayload | undefined> {
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
