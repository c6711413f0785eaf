import type { IncomingMessage } from 'node:http';
import type { SimContext } from '../context';
import { unauthorized } from '../http/api-error';
import type { OrgRole, Role } from '../model/types';
import { TokenVerificationError, type VerifiedToken } from '../security/token-signer';
import { isRole } from './roles';

/** Who is calling, resolved from the bearer token. */
export type Principal =
  | { kind: 'device'; scopes: string[]; deviceId: string; applicationId: string; keyId: string }
  | { kind: 'apiToken'; scopes: string[]; tokenId: string; applicationId: string; name: string }
  | UserPrincipal;

export interface UserPrincipal {
  kind: 'userApiToken' | 'oauth';
  scopes: string[];
  tokenId: string;
  userId: string;
  defaultRole: Role;
  orgRoles: OrgRole[];
}

export function isUserPrincipal(principal: Principal): principal is UserPrincipal {
  return principal.kind === 'userApiToken' || principal.kind === 'oauth';
}

/**
 * Verifies the bearer token and its standing on every call: signature, expiry (simulator clock),
 * and the record behind it (deleted or inactive tokens and keys are refused). 401 with a message
 * saying which.
 */
export async function authenticate(ctx: SimContext, req: IncomingMessage): Promise<Principal> {
  const header = req.headers.authorization;
  if (!header) throw unauthorized('Authorization header is required');
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw unauthorized('Authorization header must be "Bearer <token>"');
  const now = ctx.clock.now();
  let verified: VerifiedToken;
  try {
    verified = await ctx.signer.verify(match[1] as string, now);
  } catch (error) {
    if (error instanceof TokenVerificationError && error.problem === 'expired') {
      throw unauthorized('Token has expired');
    }
    throw unauthorized('Token is not valid');
  }
  const { header: jose, payload } = verified;
  if (jose.typ === 'at+jwt') return oauthPrincipal(ctx, payload);
  switch (payload.subtype) {
    case 'device':
      return devicePrincipal(ctx, payload);
    case 'apiToken':
    case 'userApiToken':
      return apiTokenPrincipal(ctx, payload, now);
    default:
      throw unauthorized('Token is not valid');
  }
}

function stringClaim(payload: VerifiedToken['payload'], name: string): string {
  const value = payload[name];
  if (typeof value !== 'string') throw unauthorized('Token is not valid');
  return value;
}

function devicePrincipal(ctx: SimContext, payload: VerifiedToken['payload']): Principal {
  const deviceId = stringClaim(payload, 'sub');
  const applicationId = stringClaim(payload, 'appId');
  const keyId = stringClaim(payload, 'keyId');
  const device = ctx.store.device(deviceId);
  if (!device || device.applicationId !== applicationId) throw unauthorized('Device was not found');
  if (ctx.settings.deviceTokensFollowKeyStatus) {
    const key = ctx.store.keyById(keyId);
    if (!key || key.deletedAt) throw unauthorized('Access key has been deleted');
    if (key.status !== 'active') throw unauthorized('Access key is inactive');
  }
  const scopes = Array.isArray(payload.scope) ? payload.scope.filter((s): s is string => typeof s === 'string') : [];
  return { kind: 'device', scopes, deviceId, applicationId, keyId };
}

function apiTokenPrincipal(ctx: SimContext, payload: VerifiedToken['payload'], now: number): Principal {
  const tokenId = stringClaim(payload, 'sub');
  const token = ctx.store.apiToken(tokenId);
  if (!token) throw unauthorized('Token has been deleted');
  if (token.status !== 'active') throw unauthorized('Token is inactive');
  if (token.expirationDate && Date.parse(token.expirationDate) <= now) throw unauthorized('Token has expired');
  if (token.ownerType === 'application') {
    return { kind: 'apiToken', scopes: token.scope, tokenId, applicationId: token.ownerId, name: token.name };
  }
  if (!ctx.store.user(token.ownerId)) throw unauthorized('User was not found');
  return {
    kind: 'userApiToken',
    scopes: token.scope,
    tokenId,
    userId: token.ownerId,
    defaultRole: token.defaultRole ?? 'admin',
    orgRoles: token.orgRoles ?? [],
  };
}

function oauthPrincipal(ctx: SimContext, payload: VerifiedToken['payload']): Principal {
  const tokenId = stringClaim(payload, 'oauthTokenId');
  const userId = stringClaim(payload, 'sub');
  const record = ctx.store.oauthToken(tokenId);
  if (!record || record.userId !== userId) throw unauthorized('OAuth token has been revoked');
  if (record.status !== 'active') throw unauthorized('OAuth token is inactive');
  if (!ctx.store.user(userId)) throw unauthorized('User was not found');
  const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : [];
  return {
    kind: 'oauth',
    scopes,
    tokenId,
    userId,
    defaultRole: isRole(record.defaultRole) ? record.defaultRole : 'none',
    orgRoles: record.orgRoles,
  };
}
