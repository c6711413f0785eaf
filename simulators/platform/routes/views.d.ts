import type { PlatformStore } from '../model/store';
import type { AccessKey, ApiToken, Application, Device, OauthToken, Org, User } from '../model/types';
/** The JSON shapes the platform answers with (losant-rest-js schemas). Never a secret. */
export declare function deviceView(device: Device): {
    id: string;
    deviceId: string;
    applicationId: string;
    creationDate: string;
    lastUpdated: string;
    name: string;
    description: string;
    tags: {
        key: string;
        value: string;
    }[];
    attributes: {
        name: string;
        dataType: import("../model/types").AttributeType;
        description?: string;
        attributeTags?: Record<string, string>;
    }[];
    deviceClass: "standalone" | "gateway" | "peripheral" | "floating" | "edgeCompute" | "system" | "embedded";
    connectionInfo: {
        connected: 0 | 1 | null;
        time: string | null;
    };
};
export declare function keyView(key: AccessKey): {
    addresses?: string[] | undefined;
    addressFilterType?: string | undefined;
    subTopics?: string[] | undefined;
    pubTopics?: string[] | undefined;
    filterType?: string | undefined;
    description?: string | undefined;
    name?: string | undefined;
    id: string;
    applicationKeyId: string;
    applicationId: string;
    creationDate: string;
    lastUpdated: string;
    createdById: string;
    createdByType: import("../model/types").ActorType;
    lastUpdatedById: string;
    lastUpdatedByType: import("../model/types").ActorType;
    key: string;
    status: import("../model/types").Status;
    deviceIds: string[];
    deviceTags: {
        key: string;
        value?: string;
    }[];
};
export declare function apiTokenView(token: ApiToken): {
    defaultRole?: "collaborate" | "admin" | "edit" | "view" | "none" | undefined;
    orgRoles?: {
        orgId: string;
        role: import("..").Role;
    }[] | undefined;
    scope: string[];
    status: import("../model/types").Status;
    expirationDate?: string | undefined;
    id: string;
    apiTokenId: string;
    ownerId: string;
    ownerType: "application" | "user";
    creatorId: string;
    creatorType: import("../model/types").ActorType;
    creatorName: string;
    name: string;
    description: string;
    creationDate: string;
    lastUpdated: string;
};
export declare function oauthTokenView(token: OauthToken): {
    scope: string[];
    status: import("../model/types").Status;
    defaultRole: "collaborate" | "admin" | "edit" | "view" | "none";
    orgRoles: {
        orgId: string;
        role: import("..").Role;
    }[];
    oauth: {
        client_id: string;
        client_name: string;
        redirect_uri: string | null;
        authorizationStatus: "pending" | "authorized";
    };
    expirationDate?: string | undefined;
    id: string;
    oauthTokenId: string;
    ownerId: string;
    ownerType: string;
    name: string;
    description: string;
    creationDate: string;
    lastUpdated: string;
};
export declare function orgView(store: PlatformStore, org: Org): {
    id: string;
    orgId: string;
    name: string;
    description: string;
    creationDate: string;
    lastUpdated: string;
    members: {
        userId: string;
        email: string;
        role: "collaborate" | "admin" | "edit" | "view" | "none";
    }[];
    applicationCount: number;
};
export declare function applicationView(store: PlatformStore, application: Application): {
    id: string;
    applicationId: string;
    ownerId: string;
    ownerType: string;
    organizationName: string;
    name: string;
    description: string;
    creationDate: string;
    lastUpdated: string;
};
export declare function meView(user: User): {
    id: string;
    userId: string;
    email: string;
    firstName: string;
    lastName: string;
    fullName: string;
    emailVerified: boolean;
    twoFactorAuthEnabled: boolean;
    creationDate: string;
    lastUpdated: string;
};
