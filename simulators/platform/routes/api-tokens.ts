import { authorizeApplicationCall, authorizeUserCall } from '../authz/authorize';
import { APPLICATION_SCOPE_GROUPS, SCOPE_GROUPS } from '../authz/scopes';
import type { SimContext } from '../context';
import { notFound, validation } from '../http/api-error';
import { newObjectId } from '../model/ids';
import type { ApiToken } from '../model/types';
import { actorOf } from './actor';
import { listPage, type ListOptions } from './list-query';
import { ApiTokenPatch, ApiTokenPost, parseBody, UserApiTokenPost } from './schemas';
import { created, ok, param, success, type Reply, type RestRequest } from './types';
import { apiTokenView } from './views';

/** The bearer string of an API token: a JWT the simulator can re-create for the seed. */
export function signApiToken(ctx: SimContext, token: ApiToken): Promise<string> {
  const iat = Math.floor(Date.parse(token.creationDate) / 1000);
  return ctx.signer.sign({
    iss: ctx.issuer,
    sub: token.id,
    subtype: token.ownerType === 'application' ? 'apiToken' : 'userApiToken',
    scope: [...token.scope],
    ...(token.ownerType === 'application' ? { appId: token.ownerId } : { userId: token.ownerId }),
    iat,
    ...(token.expirationDate ? { exp: Math.floor(Date.parse(token.expirationDate) / 1000) } : {}),
  });
}

const LIST_OPTIONS: ListOptions<ApiToken> = {
  sortFields: {
    name: (token) => token.name,
    status: (token) => token.status,
    id: (token) => token.id,
    creationDate: (token) => token.creationDate,
    lastUpdated: (token) => token.lastUpdated,
    expirationDate: (token) => token.expirationDate,
  },
  defaultSortField: 'name',
  filterFields: { name: (token) => token.name, status: (token) => token.status },
  defaultFilterField: 'name',
};

function expirationOf(ctx: SimContext, requested: string | undefined): string | undefined {
  if (requested !== undefined) {
    if (Date.parse(requested) <= ctx.clock.now()) throw validation('expirationDate must be in the future');
    return new Date(requested).toISOString();
  }
  const lifetime = ctx.settings.apiTokenDefaultLifetimeSeconds;
  return lifetime === null ? undefined : new Date(ctx.clock.now() + lifetime * 1000).toISOString();
}

// ---- application API tokens: /applications/{applicationId}/tokens ----

function findApplicationToken(ctx: SimContext, applicationId: string, tokenId: string): ApiToken {
  const token = ctx.store.apiToken(tokenId);
  if (!token || token.ownerType !== 'application' || token.ownerId !== applicationId) {
    throw notFound('API token was not found');
  }
  return token;
}

export async function listApplicationTokens(request: RestRequest): Promise<Reply> {
  const { ctx } = request;
  const applicationId = param(request, 'applicationId');
  authorizeApplicationCall(ctx, await request.principal(), 'applicationApiTokens.get', applicationId);
  const tokens = ctx.store.state.apiTokens.filter(
    (token) => token.ownerType === 'application' && token.ownerId === applicationId,
  );
  return ok({ ...listPage(tokens, request.query, LIST_OPTIONS, apiTokenView), applicationId });
}

export async function createApplicationToken(request: RestRequest): Promise<Reply> {
  const { ctx } = request;
  const applicationId = param(request, 'applicationId');
  const principal = await request.principal();
  authorizeApplicationCall(ctx, principal, 'applicationApiTokens.post', applicationId);
  const body = parseBody(ApiTokenPost, await request.body());
  const scope = body.scope ?? ['all.Application'];
  const userGroup = scope.find(
    (entry) => (SCOPE_GROUPS as readonly string[]).includes(entry) && !APPLICATION_SCOPE_GROUPS.includes(entry),
  );
  if (userGroup) throw validation(`scope ${userGroup} is not allowed for an application API token`);
  const actor = actorOf(ctx.store, principal);
  const now = ctx.clock.nowIso();
  const expirationDate = expirationOf(ctx, body.expirationDate);
  const token: ApiToken = {
    id: newObjectId(ctx.clock.now()),
    ownerId: applicationId,
    ownerType: 'application',
    creatorId: actor.id,
    creatorType: actor.type,
    creatorName: actor.name,
    name: body.name,
    description: body.description ?? '',
    creationDate: now,
    lastUpdated: now,
    ...(expirationDate ? { expirationDate } : {}),
    scope,
    status: body.status ?? 'active',
  };
  ctx.store.addApiToken(token);
  ctx.store.recordEvent('apiToken.created', {
    apiTokenId: token.id,
    ownerType: 'application',
    ownerId: applicationId,
    scope: [...scope],
  });
  ctx.store.changed();
  return created({ ...apiTokenView(token), token: await signApiToken(ctx, token) });
}

export async function getApplicationToken(request: RestRequest): Promise<Reply> {
  const { ctx } = request;
  const applicationId = param(request, 'applicationId');
  authorizeApplicationCall(ctx, await request.principal(), 'applicationApiToken.get', applicationId);
  return ok(apiTokenView(findApplicationToken(ctx, applicationId, param(request, 'apiTokenId'))));
}

export async function patchApplicationToken(request: RestRequest): Promise<Reply> {
  const { ctx } = request;
  const applicationId = param(request, 'applicationId');
  authorizeApplicationCall(ctx, await request.principal(), 'applicationApiToken.patch', applicationId);
  const token = findApplicationToken(ctx, applicationId, param(request, 'apiTokenId'));
  return ok(apiTokenView(patchToken(ctx, token, parseBody(ApiTokenPatch, await request.body()))));
}

export async function deleteApplicationToken(request: RestRequest): Promise<Reply> {
  const { ctx } = request;
  const applicationId = param(request, 'applicationId');
  authorizeApplicationCall(ctx, await request.principal(), 'applicationApiToken.delete', applicationId);
  deleteToken(ctx, findApplicationToken(ctx, applicationId, param(request, 'apiTokenId')));
  return success();
}

function patchToken(
  ctx: SimContext,
  token: ApiToken,
  body: { name?: string; description?: string; status?: 'active' | 'inactive' },
): ApiToken {
  if (body.name !== undefined) token.name = body.name;
  if (body.description !== undefined) token.description = body.description;
  if (body.status !== undefined) token.status = body.status;
  token.lastUpdated = ctx.clock.nowIso();
  ctx.store.recordEvent('apiToken.updated', { apiTokenId: token.id, status: token.status, fields: Object.keys(body) });
  ctx.store.changed();
  return token;
}

function deleteToken(ctx: SimContext, token: ApiToken): void {
  ctx.store.removeApiToken(token.id);
  ctx.store.recordEvent('apiToken.deleted', {
    apiTokenId: token.id,
    ownerType: token.ownerType,
    ownerId: token.ownerId,
  });
  ctx.store.changed();
}

// ---- user API tokens: /me/tokens ----

function findUserToken(ctx: SimContext, userId: string, tokenId: string): ApiToken {
  const token = ctx.store.apiToken(tokenId);
  if (!token || token.ownerType !== 'user' || token.ownerId !== userId) throw notFound('API token was not found');
  return token;
}

export async function listUserTokens(request: RestRequest): Promise<Reply> {
  const { ctx } = request;
  const principal = authorizeUserCall(ctx, await request.principal(), 'userApiTokens.get');
  const tokens = ctx.store.state.apiTokens.filter(
    (token) => token.ownerType === 'user' && token.ownerId === principal.userId,
  );
  return ok(listPage(tokens, request.query, LIST_OPTIONS, apiTokenView));
}

export async function createUserToken(request: RestRequest): Promise<Reply> {
  const { ctx } = request;
  const principal = authorizeUserCall(ctx, await request.principal(), 'userApiTokens.post');
  const body = parseBody(UserApiTokenPost, await request.body());
  const actor = actorOf(ctx.store, principal);
  const now = ctx.clock.nowIso();
  const expirationDate = expirationOf(ctx, body.expirationDate);
  const token: ApiToken = {
    id: newObjectId(ctx.clock.now()),
    ownerId: principal.userId,
    ownerType: 'user',
    creatorId: actor.id,
    creatorType: actor.type,
    creatorName: actor.name,
    name: body.name,
    description: body.description ?? '',
    creationDate: now,
    lastUpdated: now,
    ...(expirationDate ? { expirationDate } : {}),
    scope: body.scope ?? ['all.User'],
    status: body.status ?? 'active',
    defaultRole: body.defaultRole ?? 'admin',
    orgRoles: body.orgRoles ?? [],
  };
  ctx.store.addApiToken(token);
  ctx.store.recordEvent('apiToken.created', {
    apiTokenId: token.id,
    ownerType: 'user',
    ownerId: principal.userId,
    scope: [...token.scope],
  });
  ctx.store.changed();
  return created({ ...apiTokenView(token), token: await signApiToken(ctx, token) });
}

export async function getUserToken(request: RestRequest): Promise<Reply> {
  const { ctx } = request;
  const principal = authorizeUserCall(ctx, await request.principal(), 'userApiToken.get');
  return ok(apiTokenView(findUserToken(ctx, principal.userId, param(request, 'apiTokenId'))));
}

export async function patchUserToken(request: RestRequest): Promise<Reply> {
  const { ctx } = request;
  const principal = authorizeUserCall(ctx, await request.principal(), 'userApiToken.patch');
  const token = findUserToken(ctx, principal.userId, param(request, 'apiTokenId'));
  return ok(apiTokenView(patchToken(ctx, token, parseBody(ApiTokenPatch, await request.body()))));
}

export async function deleteUserToken(request: RestRequest): Promise<Reply> {
  const { ctx } = request;
  const principal = authorizeUserCall(ctx, await request.principal(), 'userApiToken.delete');
  deleteToken(ctx, findUserToken(ctx, principal.userId, param(request, 'apiTokenId')));
  return success();
}
