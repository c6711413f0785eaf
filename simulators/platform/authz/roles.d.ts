import { type OrgRole, type Role } from '../model/types';
/** What a call does, for the role check: the docs name the roles but not what each may do. */
export type Capability = 'read' | 'deviceWrite' | 'keyWrite' | 'tokenWrite';
/**
 * The lowest organization role allowed each capability. A simulator choice (configurable): a
 * collaborator can read everything and create and change devices and access keys, which is what a
 * technician needs; managing API tokens takes edit.
 */
export declare const DEFAULT_ROLE_REQUIREMENTS: Record<Capability, Role>;
export declare function isRole(value: unknown): value is Role;
export declare function roleAtLeast(role: Role, needed: Role): boolean;
export declare function lowerRole(a: Role, b: Role): Role;
/** A token never exceeds its user: the lower of the member's role and the token's cap for that org. */
export declare function effectiveRole(memberRole: Role | undefined, defaultCap: Role, orgRoles: OrgRole[], orgId: string): Role;
