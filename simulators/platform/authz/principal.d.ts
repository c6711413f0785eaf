import type { IncomingMessage } from 'node:http';
import type { SimContext } from '../context';
import type { OrgRole, Role } from '../model/types';
/** Who is calling, resolved from the bearer token. */
export type Principal = {
    kind: 'device';
    scopes: string[];
    deviceId: string;
    applicationId: string;
    keyId: string;
} | {
    kind: 'apiToken';
    scopes: string[];
    tokenId: string;
    applicationId: string;
    name: string;
} | UserPrincipal;
export interface UserPrincipal {
    kind: 'userApiToken' | 'oauth';
    scopes: string[];
    tokenId: string;
    userId: string;
    defaultRole: Role;
    orgRoles: OrgRole[];
}
export declare function isUserPrincipal(principal: Principal): principal is UserPrincipal;
/**
 * Verifies the bearer token and its standing on every call: signature, expiry (simulator clock),
 * and the record behind it (deleted or inactive tokens and keys are refused). 401 with a message
 * saying which.
 */
export declare function authenticate(ctx: SimContext, req: IncomingMessage): Promise<Principal>;
