import type { SimContext } from '../context';
import type { Application, Org, Role } from '../model/types';
import { type Principal, type UserPrincipal } from './principal';
import { type CallName } from './scopes';
/** The principal's role in an organization (user principals only): member role capped by the token. */
export declare function roleIn(ctx: SimContext, principal: UserPrincipal, org: Org): Role;
/** Whether the principal can see the application at all (else it is "not found" to them). */
export declare function canReach(ctx: SimContext, principal: Principal, application: Application): boolean;
/**
 * Authorizes a call on an application (or one of its devices): the application must exist and be
 * reachable (else 404, as the platform hides what you cannot see), the scope must cover the call,
 * and for user tokens the role in the owning organization must allow it.
 */
export declare function authorizeApplicationCall(ctx: SimContext, principal: Principal, call: CallName, applicationId: string, deviceId?: string): {
    application: Application;
    org: Org;
};
/** Authorizes a user-level call (`/me...`): only user-bound tokens can make one. */
export declare function authorizeUserCall(ctx: SimContext, principal: Principal, call: CallName): UserPrincipal;
/** Authorizes a call across organizations; answers the organizations the principal may read. */
export declare function authorizeOrgCall(ctx: SimContext, principal: Principal, call: CallName): Org[];
