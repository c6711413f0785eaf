import { authorizeUserCall } from '../authz/authorize';
import type { SimContext } from '../context';
import { notFound } from '../http/api-error';
import type { OauthToken } from '../model/types';
import { listPage } from './list-query';
import { OauthTokenPatch, parseBody } from './schemas';
import { ok, param, success, type Reply, type RestRequest } from './types';
import { oauthTokenView } from './views';

/** Removes OAuth tokens whose code was never exchanged within the pending lifetime (24 h by default). */
export async function sweepPendingOauthTokens(ctx: SimContext): Promise<void> {
  const cutoff = ctx.clock.now() - ctx.settings.pendingOauthTokenTtlSeconds * 1000;
  const stale = ctx.store.state.oauthTokens.filter(
    (token) => token.authorizationStatus === 'pending' && Date.parse(token.creationDate) <= cutoff,
  );
  for (const token of stale) {
    await revokeOauthToken(ctx, token, 'pending-expired');
  }
}

/** Deletes the record and revokes everything oidc-provider issued under its grant. */
export async function revokeOauthToken(ctx: SimContext, token: OauthToken, reason: string): Promise<void> {
  ctx.store.removeOauthToken(token.id);
  ctx.store.recordEvent('oauthToken.deleted', {
    oauthTokenId: token.id,
    userId: token.userId,
    clientId: token.clientId,
    reason,
  });
  ctx.store.changed();
  await ctx.oauth.revokeGrant(token.grantId);
}

function findToken(ctx: SimContext, userId: string, tokenId: string): OauthToken {
  const token = ctx.store.oauthToken(tokenId);
  if (!token || token.userId !== userId) throw notFound('OAuth token was not found');
  return token;
}

export async function listOauthTokens(request: RestRequest): Promise<Reply> {
  const { ctx } = request;
  const principal = authorizeUserCall(ctx, await request.principal(), 'userOauthTokens.get');
  await sweepPendingOauthTokens(ctx);
  const tokens = ctx.store.state.oauthTokens.filter((token) => token.userId === principal.userId);
  return ok(
    listPage(
      tokens,
      request.query,
      {
        sortFields: {
          name: (token) => token.name,
          status: (token) => token.status,
          id: (token) => token.id,
          creationDate: (token) => token.creationDate,
          lastUpdated: (token) => token.lastUpdated,
        },
        defaultSortField: 'creationDate',
        filterFields: { name: (token) => token.name, status: (token) => token.status },
        defaultFilterField: 'name',
      },
      oauthTokenView,
    ),
  );
}

export async function getOauthToken(request: RestRequest): Promise<Reply> {
  const { ctx } = request;
  const principal = authorizeUserCall(ctx, await request.principal(), 'userOauthToken.get');
  await sweepPendingOauthTokens(ctx);
  return ok(oauthTokenView(findToken(ctx, principal.userId, param(request, 'oauthTokenId'))));
}

export async function patchOauthToken(request: RestRequest): Promise<Reply> {
  const { ctx } = request;
  const principal = authorizeUserCall(ctx, await request.principal(), 'userOauthToken.patch');
  const token = findToken(ctx, principal.userId, param(request, 'oauthTokenId'));
  const body = parseBody(OauthTokenPatch, await request.body());
  if (body.name !== undefined) token.name = body.name;
  if (body.description !== undefined) token.description = body.description;
  if (body.status !== undefined) token.status = body.status;
  if (body.defaultRole !== undefined) token.defaultRole = body.defaultRole;
  if (body.orgRoles !== undefined) token.orgRoles = body.orgRoles;
  token.lastUpdated = ctx.clock.nowIso();
  ctx.store.recordEvent('oauthToken.updated', {
    oauthTokenId: token.id,
    status: token.status,
    fields: Object.keys(body),
  });
  ctx.store.changed();
  return ok(oauthTokenView(token));
}

export async function deleteOauthToken(request: RestRequest): Promise<Reply> {
  const { ctx } = request;
  const principal = authorizeUserCall(ctx, await request.principal(), 'userOauthToken.delete');
  await revokeOauthToken(ctx, findToken(ctx, principal.userId, param(request, 'oauthTokenId')), 'deleted');
  return success();
}
