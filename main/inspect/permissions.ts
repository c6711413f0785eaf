import type { InspectPermissions } from '../../common/contract/inspect';
import { scopesAllow } from '../../common/platform/scopes';

export type Role = 'admin' | 'edit' | 'collaborate' | 'view' | 'none';
const RANK: Record<Role, number> = { none: 0, view: 1, collaborate: 2, edit: 3, admin: 4 };

/** The lower of two roles; null stands for "not known" and never lowers the other. */
export function lowerRole(a: Role | null, b: Role | null): Role | null {
  if (a === null) return b;
  if (b === null) return a;
  return RANK[a] <= RANK[b] ? a : b;
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && Object.hasOwn(RANK, value);
}

/**
 * What each permission needs: any one of the calls (by scope), and a role in the application's
 * organization. The roles are the platform simulator's model (reading needs view, keys
 * collaborate, API tokens edit); the real platform does not document them, so a 401/403 on an
 * action is still answered as "not allowed" rather than trusted from here.
 */
const NEEDS: Record<keyof InspectPermissions, { calls: string[]; role: Role | null }> = {
  readDevices: { calls: ['devices.get'], role: 'view' },
  readKeys: { calls: ['applicationKeys.get'], role: 'view' },
  manageKeys: { calls: ['applicationKey.patch', 'applicationKey.delete'], role: 'collaborate' },
  readApiTokens: { calls: ['applicationApiTokens.get'], role: 'view' },
  manageApiTokens: { calls: ['applicationApiToken.patch', 'applicationApiToken.delete'], role: 'edit' },
  // The user's own tokens: the organization role does not apply.
  readOauthTokens: { calls: ['userOauthTokens.get'], role: null },
  manageOauthTokens: { calls: ['userOauthToken.patch', 'userOauthToken.delete'], role: null },
};

const WORDS: Record<keyof InspectPermissions, string> = {
  readDevices: 'read devices',
  readKeys: 'read access keys',
  manageKeys: 'deactivate, reactivate or delete access keys',
  readApiTokens: 'read application API tokens',
  manageApiTokens: 'deactivate, reactivate or delete application API tokens',
  readOauthTokens: 'read your OAuth tokens',
  manageOauthTokens: 'deactivate, reactivate or delete your OAuth tokens',
};

export interface PermissionAnswer {
  can: InspectPermissions;
  readOnly: boolean;
  /** Why each missing permission is missing, in plain words. */
  notes: string[];
  /** The reason one permission is missing, for a confirmation that will not be offered. */
  reasonFor(permission: keyof InspectPermissions): string | null;
}

/**
 * What the session may do, from its scopes (unknown scopes: assume yes and let the platform
 * answer) and its role (unknown: assume yes).
 */
export function permissionsOf(scopes: readonly string[] | undefined, role: Role | null): PermissionAnswer {
  const reasons = new Map<keyof InspectPermissions, string>();
  const can = {} as InspectPermissions;
  for (const permission of Object.keys(NEEDS) as (keyof InspectPermissions)[]) {
    const need = NEEDS[permission];
    const byScope = scopes === undefined || need.calls.some((call) => scopesAllow(scopes, call));
    const byRole = role === null || need.role === null || RANK[role] >= RANK[need.role];
    can[permission] = byScope && byRole;
    if (!byScope) {
      reasons.set(
        permission,
        `This session's scopes (${scopes?.join(', ') || 'none'}) do not allow it to ${WORDS[permission]}` +
          (permission.startsWith('manage') && scopes?.some((scope) => scope.endsWith('.bounded'))
            ? ': bounded scopes leave out managing tokens.'
            : '.'),
      );
    } else if (!byRole) {
      reasons.set(
        permission,
        `Your role here is "${role}"; to ${WORDS[permission]} the platform asks for "${need.role}" or above.`,
      );
    }
  }
  const readOnly = !can.manageKeys && !can.manageApiTokens && !can.manageOauthTokens;
  return {
    can,
    readOnly,
    notes: [...reasons.values()],
    reasonFor: (permission) => reasons.get(permission) ?? null,
  };
}
