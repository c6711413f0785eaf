import type { TokenFact, TokenKind, TokenSubject } from '../../common/contract/inspect';

type Claims = Record<string, unknown>;

export const KIND_LABELS: Record<TokenKind, string> = {
  device: 'Device token',
  applicationApi: 'Application API token',
  userApi: 'User API token',
  api: 'API token (application or user)',
  oauthAccess: 'OAuth access token',
  userSession: 'User session token',
  experienceUser: 'Experience user token',
  unknown: 'Unrecognised JWT',
  opaque: 'Opaque token (not a JWT)',
  encrypted: 'Encrypted token (JWE)',
};

const USER_LEVEL_SCOPE = /^(all|only)\.(User|Organization)(\.|$)/;
const MAX_VALUE_LENGTH = 200;

/** A claim as display text: strings as they are (cut to length), anything else as JSON. */
function text(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const shown = typeof value === 'string' ? value : JSON.stringify(value);
  return shown.length > MAX_VALUE_LENGTH ? `${shown.slice(0, MAX_VALUE_LENGTH)}…` : shown;
}

function first(claims: Claims, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = text(claims[name]);
    if (value !== undefined) return value;
  }
  return undefined;
}

/**
 * Which platform token the claims describe (briefing: `subtype` device|apiToken|userApiToken;
 * OAuth access tokens have header `typ: at+jwt` and a `client_id`). Tokens from the real service
 * may lack the simulator's extra claims, so each rule also accepts the common variants.
 */
export function classifyToken(header: Claims, claims: Claims, scopes: readonly string[] | undefined): TokenKind {
  const typ = typeof header['typ'] === 'string' ? header['typ'].toLowerCase() : undefined;
  if (typ === 'at+jwt' || typ === 'application/at+jwt' || typeof claims['client_id'] === 'string') {
    return 'oauthAccess';
  }
  switch (claims['subtype']) {
    case 'device':
      return 'device';
    case 'userApiToken':
      return 'userApi';
    case 'apiToken':
      if (claims['appId'] !== undefined || claims['applicationId'] !== undefined) return 'applicationApi';
      if (claims['userId'] !== undefined) return 'userApi';
      // Only user tokens carry user and organization scopes.
      return scopes?.some((scope) => USER_LEVEL_SCOPE.test(scope)) ? 'userApi' : 'api';
    case 'user':
      return 'userSession';
    case 'experienceUser':
      return 'experienceUser';
  }
  if (claims['subtype'] === undefined && scopes?.includes('all.Device') && first(claims, 'deviceId', 'sub')) {
    return 'device';
  }
  return 'unknown';
}

function fact(label: string, value: string | undefined): TokenFact[] {
  return value === undefined ? [] : [{ label, value }];
}

/** Whom the token belongs to, as its (unverified) claims say. */
export function describeSubject(kind: TokenKind, header: Claims, claims: Claims): TokenSubject {
  const appId = first(claims, 'appId', 'applicationId');
  const userId = first(claims, 'userId');
  const issuer = fact('Issuer', first(claims, 'iss'));
  const keyId = fact('Signing key id', text(header['kid']));
  const inApp = appId ? ` in application ${appId}` : '';
  switch (kind) {
    case 'device': {
      const deviceId = first(claims, 'deviceId', 'sub');
      return {
        summary: `Device ${deviceId ?? '(not named)'}${inApp}`,
        facts: [
          ...fact('Device id', deviceId),
          ...fact('Application id', appId),
          ...fact('Access key id', first(claims, 'keyId', 'applicationKeyId')),
          ...issuer,
          ...keyId,
        ],
      };
    }
    case 'applicationApi':
    case 'userApi':
    case 'api': {
      const tokenId = first(claims, 'apiTokenId', 'sub');
      const owner = kind === 'applicationApi' ? inApp : userId ? ` of user ${userId}` : '';
      return {
        summary: `${KIND_LABELS[kind]} ${tokenId ?? '(id not named)'}${owner}`,
        facts: [
          ...fact('API token id', tokenId),
          ...fact('Application id', appId),
          ...fact('User id', userId),
          ...issuer,
          ...keyId,
        ],
      };
    }
    case 'oauthAccess': {
      const user = first(claims, 'sub', 'userId');
      const client = first(claims, 'client_id');
      return {
        summary: `OAuth access token of user ${user ?? '(not named)'} for client ${client ?? '(not named)'}`,
        facts: [
          ...fact('User id', user),
          ...fact('OAuth client', client),
          ...fact('Maximum role', first(claims, 'roleCap')),
          ...fact('Audience', first(claims, 'aud')),
          ...fact('Token id', first(claims, 'jti')),
          ...issuer,
          ...keyId,
        ],
      };
    }
    case 'userSession':
    case 'experienceUser': {
      const user = first(claims, 'sub', 'userId');
      return {
        summary: `${KIND_LABELS[kind]} of ${kind === 'userSession' ? 'user' : 'experience user'} ${user ?? '(not named)'}${inApp}`,
        facts: [...fact('User id', user), ...fact('Application id', appId), ...issuer, ...keyId],
      };
    }
    default: {
      const subject = first(claims, 'sub');
      return {
        summary: subject ? `Subject ${subject}` : 'The token names no subject',
        facts: [...fact('Subject', subject), ...issuer, ...keyId],
      };
    }
  }
}

/** For tokens whose contents cannot be read. */
export function unreadableSubject(kind: 'opaque' | 'encrypted'): TokenSubject {
  return {
    summary:
      kind === 'opaque'
        ? 'Not readable: only the platform knows whom an opaque token belongs to.'
        : 'Not readable: the claims are encrypted for the issuer.',
    facts: [],
  };
}
