import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { PlatformStore } from '../model/store';
/**
 * oidc-provider's storage in the simulator's own state (so `--data DIR` keeps sessions, grants,
 * refresh tokens and registered clients, and `/__sim/reset` clears them). One adapter instance per
 * model name; expiry in real time, as oidc-provider reckons it.
 */
export declare class StoreAdapter implements Adapter {
    private readonly model;
    private readonly store;
    private static upserts;
    constructor(model: string, store: PlatformStore);
    private get hashed();
    private key;
    private records;
    upsert(id: string, payload: AdapterPayload, expiresIn: number | undefined): Promise<void>;
    find(id: string): Promise<AdapterPayload | undefined>;
    private findBy;
    findByUserCode(userCode: string): Promise<AdapterPayload | undefined>;
    findByUid(uid: string): Promise<AdapterPayload | undefined>;
    consume(id: string): Promise<void>;
    destroy(id: string): Promise<void>;
    revokeByGrantId(grantId: string): Promise<void>;
    /** Drops expired artifacts of every model so the state does not grow without bound. */
    private prune;
}
