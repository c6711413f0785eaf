import type { SimContext } from '../context';
import type { DeviceClass, Role, Tag } from '../model/types';
import type { SeedSpec } from './spec';
export interface SeedUser {
    id: string;
    email: string;
    password: string;
    firstName: string;
    lastName: string;
    /** Role in the reported organization (`orgId`). */
    role: Role;
}
export interface SeedDevice {
    id: string;
    name: string;
    deviceClass: DeviceClass;
    applicationId: string;
    tags: Tag[];
}
export interface SeedAccessKey {
    id: string;
    applicationId: string;
    key: string;
    /** Seeded keys only: a sandbox convenience, the REST API never shows a secret after creation. */
    secret: string;
    status: 'active' | 'inactive';
    deleted: boolean;
    name?: string;
    deviceIds: string[];
    deviceTags: {
        key: string;
        value?: string;
    }[];
}
export interface SeedApiToken {
    id: string;
    name: string;
    ownerType: 'application' | 'user';
    ownerId: string;
    scope: string[];
    status: 'active' | 'inactive';
    expirationDate?: string;
    token: string;
}
/** `GET /__sim/seed`: the seeded ids and credentials tests and the sandbox start from. */
export interface SeedInfo {
    baseUrl: string;
    orgId: string;
    orgName: string;
    applicationId: string;
    applicationName: string;
    /** An all-permissions (`all.Application`) application API token for `applicationId`. */
    apiToken: string;
    apiTokenId: string;
    technician: SeedUser;
    support: SeedUser;
    admin?: SeedUser;
    users: SeedUser[];
    oauthClientId: string;
    oauthRedirectUris: string[];
    oauthScopes: string[];
    devices: SeedDevice[];
    accessKeys: SeedAccessKey[];
    /** Every seeded API token with its bearer string (application and user tokens, expired ones too). */
    apiTokens: SeedApiToken[];
    expiredApiTokenId?: string;
    inactiveAccessKeyId?: string;
    orgs: {
        id: string;
        name: string;
    }[];
    applications: {
        id: string;
        name: string;
        orgId: string;
    }[];
}
export declare function seedInfo(ctx: SimContext, spec: SeedSpec, oauthScopes: string[]): Promise<SeedInfo>;
