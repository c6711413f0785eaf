import type { Account, AccountSummary, SelectedApplication } from '../../common/contract/auth';
import type { AccountDirectory, PlatformUser } from './account-directory';

export function accountOf(user: PlatformUser): Account {
  const name = user.fullName?.trim() || [user.firstName, user.lastName].filter(Boolean).join(' ').trim();
  return { userId: user.id, email: user.email, name: name || user.email };
}

/**
 * Who is signed in and what the token reaches: the user, each organization with the user's role
 * in it, and the applications of the user and of every organization, for the technician to pick.
 */
export async function loadAccountSummary(
  directory: AccountDirectory,
  selectedApplication: SelectedApplication | null,
  signal?: AbortSignal,
): Promise<AccountSummary> {
  const [user, organizations] = await Promise.all([directory.me(signal), directory.organizations(signal)]);
  const perOrganization = await Promise.all(
    organizations.map(async (organization) => ({
      organization,
      applications: await directory.applications(organization.id, signal),
    })),
  );
  const own = await directory.applications(null, signal);
  const seen = new Set<string>();
  const applications: AccountSummary['applications'] = [];
  for (const { organization, applications: list } of perOrganization) {
    for (const application of list) {
      if (seen.has(application.id)) continue;
      seen.add(application.id);
      applications.push({
        id: application.id,
        name: application.name,
        organizationId: organization.id,
        organizationName: organization.name,
      });
    }
  }
  for (const application of own) {
    if (seen.has(application.id)) continue;
    seen.add(application.id);
    applications.push({ id: application.id, name: application.name, organizationId: null, organizationName: null });
  }
  return {
    account: accountOf(user),
    organizations: organizations.map((organization) => ({
      id: organization.id,
      name: organization.name,
      role: organization.members?.find((member) => member.userId === user.id)?.role ?? null,
    })),
    applications,
    selectedApplication,
  };
}
