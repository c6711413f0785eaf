import { ROLES, type OrgRole, type Role } from '../model/types';

/** What a call does, for the role check: the docs name the roles but not what each may do. */
export type Capability = 'read' | 'deviceWrite' | 'keyWrite' | 'tokenWrite';

/**
 * The lowest organization role allowed each capability. A simulator choice (configurable): a
 * collaborator can read everything and create and change devices and access keys, which is what a
 * technician needs; managing API tokens takes edit.
 */
export const DEFAULT_ROLE_REQUIREMENTS: Record<Capability, Role> = {
  read: 'view',
  deviceWrite: 'collaborate',
  keyWrite: 'collaborate',
  tokenWrite: 'edit',
};

const RANK: Record<Role, number> = { none: 0, view: 1, collaborate: 2, edit: 3, admin: 4 };

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function roleAtLeast(role: Role, needed: Role): boolean {
  return RANK[role] >= RANK[needed];
}

export function lowerRole(a: Role, b: Role): Role {
  return RANK[a] <= RANK[b] ? a : b;
}

/** A token never exceeds its user: the lower of the member's role and the token's cap for that org. */
export function effectiveRole(
  memberRole: Role | undefined,
  defaultCap: Role,
  orgRoles: OrgRole[],
  orgId: string,
): Role {
  if (!memberRole) return 'none';
  const cap = orgRoles.find((entry) => entry.orgId === orgId)?.role ?? defaultCap;
  return lowerRole(memberRole, cap);
}
