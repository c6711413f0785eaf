import { authorizeApplicationCall, authorizeOrgCall, authorizeUserCall, canReach } from '../authz/authorize';
import { notFound, validation } from '../http/api-error';
import { OBJECT_ID } from '../model/ids';
import { listPage } from './list-query';
import { ok, param, type Reply, type RestRequest } from './types';
import { applicationView, meView, orgView } from './views';

/** `/me`, `/orgs`, `/applications`: who the caller is and what they can reach. */

export async function getMe(request: RestRequest): Promise<Reply> {
  const { ctx } = request;
  const principal = authorizeUserCall(ctx, await request.principal(), 'me.get');
  const user = ctx.store.user(principal.userId);
  if (!user) throw notFound('User was not found');
  return ok(meView(user));
}

export async function listOrgs(request: RestRequest): Promise<Reply> {
  const { ctx } = request;
  const orgs = authorizeOrgCall(ctx, await request.principal(), 'orgs.get');
  return ok(
    listPage(
      orgs,
      request.query,
      {
        sortFields: {
          name: (org) => org.name,
          id: (org) => org.id,
          creationDate: (org) => org.creationDate,
          lastUpdated: (org) => org.lastUpdated,
        },
        defaultSortField: 'name',
        filterFields: { name: (org) => org.name },
        defaultFilterField: 'name',
      },
      (org) => orgView(ctx.store, org),
    ),
  );
}

export async function getOrg(request: RestRequest): Promise<Reply> {
  const { ctx } = request;
  const orgId = param(request, 'orgId');
  const org = authorizeOrgCall(ctx, await request.principal(), 'org.get').find((candidate) => candidate.id === orgId);
  if (!org) throw notFound('Organization was not found');
  return ok(orgView(ctx.store, org));
}

export async function listApplications(request: RestRequest): Promise<Reply> {
  const { ctx, query } = request;
  const principal = await request.principal();
  const orgs = authorizeOrgCall(ctx, principal, 'applications.get');
  const orgId = query.get('orgId');
  if (orgId !== null && !OBJECT_ID.test(orgId)) throw validation('orgId must be a 24-character hex id');
  const visibleOrgIds = new Set(orgs.map((org) => org.id));
  const applications = ctx.store.state.applications.filter(
    (application) =>
      visibleOrgIds.has(application.orgId) &&
      (orgId === null || application.orgId === orgId) &&
      canReach(ctx, principal, application),
  );
  const page = listPage(
    applications,
    query,
    {
      sortFields: {
        name: (application) => application.name,
        id: (application) => application.id,
        creationDate: (application) => application.creationDate,
        lastUpdated: (application) => application.lastUpdated,
        ownerId: (application) => application.orgId,
      },
      defaultSortField: 'name',
      filterFields: { name: (application) => application.name },
      defaultFilterField: 'name',
    },
    (application) => applicationView(ctx.store, application),
  );
  return ok({ ...page, ...(orgId ? { orgId } : {}) });
}

export async function getApplication(request: RestRequest): Promise<Reply> {
  const { ctx } = request;
  const { application } = authorizeApplicationCall(
    ctx,
    await request.principal(),
    'application.get',
    param(request, 'applicationId'),
  );
  return ok(applicationView(ctx.store, application));
}
