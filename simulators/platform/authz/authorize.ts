import type { SimContext } from '../context';
import { notFound, permissionDenied } from '../http/api-error';
import type { Application, Org, Role } from '../model/types';
import { isUserPrincipal, type Principal, type UserPrincipal } from './principal';
import { effectiveRole, roleAtLeast } from './roles';
import { CALLS, scopeAllows, type CallName } from './scopes';

/** The principal's role in an organization (user principals only): member role capped by the token. */
export function roleIn(ctx: SimContext, principal: UserPrincipal, org: Org): Role {
  const member = org.members.find((entry) => entry.userId === principal.userId);
  return effectiveRole(member?.role, principal.defaultRole, principal.orgRoles, org.id);
}

/** Whether the principal can see the application at all (else it is "not found" to them). */
export function canReach(ctx: SimContext, principal: Principal, application: Application): boolean {
  if (!isUserPrincipal(principal)) return principal.applicationId === application.id;
  const org = ctx.store.org(application.orgId);
  return !!org && roleAtLeast(roleIn(ctx, principal, org), 'view');
}

function checkScope(ctx: SimContext, principal: Principal, call: CallName, deviceId?: string): void {
  const deviceGroupApplies =
    principal.kind === 'device' ? principal.deviceId === deviceId : principal.kind === 'apiToken';
  if (!scopeAllows(principal.scopes, call, deviceGroupApplies)) {
    throw permissionDenied(ctx.settings.missingScopeStatus, `The token's scope does not allow ${call}`);
  }
}

function checkRole(ctx: SimContext, principal: Principal, call: CallName, org: Org): void {
  const capability = CALLS[call].capability;
  if (!isUserPrincipal(principal) || !capability) return;
  const role = roleIn(ctx, principal, org);
  const needed = ctx.settings.roleRequirements[capability];
  if (!roleAtLeast(role, needed)) {
    throw permissionDenied(
      ctx.settings.missingScopeStatus,
      `Role "${role}" in organization "${org.name}" does not allow ${call} (needs ${needed})`,
    );
  }
}

/**
 * Authorizes a call on an application (or one of its devices): the application must exist and be
 * reachable (else 404, as the platform hides what you cannot see), the scope must cover the call,
 * and for user tokens the role in the owning organization must allow it.
 */
export function authorizeApplicationCall(
  ctx: SimContext,
  principal: Principal,
  call: CallName,
  applicationId: string,
  deviceId?: string,
): { application: Application; org: Org } {
  const application = ctx.store.application(applicationId);
  const org = application && ctx.store.org(application.orgId);
  if (!application || !org || !canReach(ctx, principal, application)) throw notFound('Application was not found');
  checkScope(ctx, principal, call, deviceId);
  checkRole(ctx, principal, call, org);
  return { application, org };
}

/** Authorizes a user-level call (`/me...`): only user-bound tokens can make one. */
export function authorizeUserCall(ctx: SimContext, principal: Principal, call: CallName): UserPrincipal {
  checkScope(ctx, principal, call);
  if (!isUserPrincipal(principal)) {
    throw permissionDenied(ctx.settings.missingScopeStatus, `${call} needs a user token`);
  }
  return principal;
}

/** Authorizes a call across organizations; answers the organizations the principal may read. */
export function authorizeOrgCall(ctx: SimContext, principal: Principal, call: CallName): Org[] {
  checkScope(ctx, principal, call);
  if (!isUserPrincipal(principal)) {
    const application = ctx.store.application(principal.applicationId);
    const org = application && ctx.store.org(application.orgId);
    return org ? [org] : [];
  }
  return ctx.store.state.orgs.filter((org) => roleAtLeast(roleIn(ctx, principal, org), 'view'));
}
