import { isRole, lowerRole, type Role } from './permissions';
import type { InspectPlatform } from './platform-access';

/**
 * The role the session acts with in an application's organization: the lower of the token's cap
 * and the user's membership role (a token never exceeds its user). Null when it cannot be told
 * (an application API token, a scope that may not read organizations, a failed lookup): then
 * nothing is hidden on account of the role, and the platform's own answer decides.
 */
export async function effectiveRole(
  platform: InspectPlatform,
  applicationId: string | null,
  signal?: AbortSignal,
): Promise<Role | null> {
  const cap = isRole(platform.roleCap) ? platform.roleCap : null;
  if (platform.source !== 'session' || applicationId === null || platform.userId === null) return cap;
  try {
    const applications = await platform.client.applications(undefined, { signal });
    const application = applications.items.find((candidate) => candidate.id === applicationId);
    if (!application || application.ownerType !== 'organization') return cap;
    const orgs = await platform.client.orgs({ signal });
    const org = orgs.items.find((candidate) => candidate.id === application.ownerId);
    const member = org?.members?.find((candidate) => candidate.userId === platform.userId);
    return lowerRole(cap, isRole(member?.role) ? member.role : null);
  } catch {
    // Only a hint for what to show: the lookups themselves report their own errors.
    return cap;
  }
}
