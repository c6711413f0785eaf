// oidc-provider ships no types; this brings our declaration into every program that builds this file.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./oidc-provider.d.ts" />
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Provider, errors, type KoaContextWithOIDC } from 'oidc-provider';
import { OAUTH_SCOPE_DESCRIPTIONS } from '../authz/scopes';
import type { OauthControl, SimContext } from '../context';
import type { ServerKeys } from '../security/server-keys';
import type { SeedSpec } from '../seed/spec';
import { INTERACTION_PREFIX, Interactions } from './interactions';
import { deviceCodeConfirmPage, deviceCodeInputPage, deviceSuccessPage } from './device-pages';
import { messagePage } from './pages';
import { revokeOauthToken } from '../routes/oauth-tokens';
import { StoreAdapter } from './store-adapter';

export const OAUTH_SCOPES = Object.keys(OAUTH_SCOPE_DESCRIPTIONS);

const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

/** The OAuth endpoints, where the real service puts them (`/oauth/token`, `/oauth/revoke`, `/oauth/clients`). */
export const OAUTH_ROUTES = {
  authorization: '/oauth/authorize',
  token: '/oauth/token',
  revocation: '/oauth/revoke',
  registration: '/oauth/clients',
  device_authorization: '/oauth/device/auth',
  code_verification: '/oauth/device',
  jwks: '/oauth/jwks',
  end_session: '/oauth/session/end',
  pushed_authorization_request: '/oauth/par',
  introspection: '/oauth/introspect',
  userinfo: '/oauth/userinfo',
  backchannel_authentication: '/oauth/backchannel',
  challenge: '/oauth/challenge',
  credential: '/oauth/credential',
};

export interface OauthServer {
  /** Whether a request path belongs to the OAuth server. */
  owns(path: string): boolean;
  handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void>;
  control: OauthControl;
}

interface ProviderClient {
  grantTypeAllowed(type: string): boolean;
}

interface RevokingClient {
  clientId: string;
  clientAuthMethod?: string;
}

/**
 * The OAuth 2.0 authorization server: oidc-provider with authorization code + PKCE (S256 only,
 * required), loopback redirects on any port for native clients, refresh token rotation (a reused
 * refresh token revokes the grant), revocation, dynamic registration and the device authorization
 * grant. Access tokens are RFC 9068 JWTs (ES256) for the REST API as resource, carrying `roleCap`
 * and `oauthTokenId` (the `/me/oauth-tokens` record that REST calls check on every use).
 */
export function createOauthServer(ctx: SimContext, keys: ServerKeys, clients: SeedSpec['oauthClients']): OauthServer {
  const audience = ctx.issuer;
  // The REST API is the only resource. A data directory may be reopened on another port, so grants
  // made under an earlier port (same scheme and host, no path) still name it.
  const sameResource = (indicator: string) => {
    const wanted = URL.parse(audience);
    const given = URL.parse(indicator);
    return (
      !!wanted &&
      !!given &&
      given.protocol === wanted.protocol &&
      given.hostname === wanted.hostname &&
      (given.pathname === '/' || given.pathname === '') &&
      !given.search
    );
  };

  const provider = new Provider(ctx.issuer, {
    adapter: (model: string) => new StoreAdapter(model, ctx.store),
    clients: clients.map((client) => ({
      client_id: client.clientId,
      client_name: client.clientName,
      application_type: 'native',
      token_endpoint_auth_method: 'none',
      redirect_uris: client.redirectUris,
      response_types: ['code'],
      grant_types: client.grantTypes ?? ['authorization_code', 'refresh_token', DEVICE_CODE_GRANT],
    })),
    clientDefaults: {
      application_type: 'native',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
      id_token_signed_response_alg: 'ES256',
    },
    clientBasedCORS: () => false,
    findAccount: async (_ctx: unknown, sub: string) => {
      const user = ctx.store.user(sub);
      if (!user) return undefined;
      return {
        accountId: sub,
        claims: async () => ({ sub, email: user.email, name: `${user.firstName} ${user.lastName}`.trim() }),
      };
    },
    claims: { openid: ['sub'], email: ['email'], profile: ['name'] },
    jwks: { keys: [keys.signingJwk] },
    cookies: {
      keys: keys.cookieKeys,
      long: { httpOnly: true, sameSite: 'lax' },
      short: { httpOnly: true, sameSite: 'lax' },
    },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: { enabled: false },
      userinfo: { enabled: false },
      // RFC 7009 §2.1: only the client a token was issued to may revoke it. A public client
      // presenting another client's token gets a 200 that revokes nothing (no token probing).
      revocation: {
        enabled: true,
        allowedPolicy: async (_ctx: unknown, client: RevokingClient, token: { clientId?: string }) => {
          if (token.clientId === client.clientId) return true;
          if (client.clientAuthMethod === 'none') return false;
          throw new errors.InvalidRequest('client is not authorized to revoke the presented token');
        },
      },
      registration: { enabled: true, initialAccessToken: false, issueRegistrationAccessToken: false },
      deviceFlow: {
        enabled: true,
        userCodeInputSource: deviceCodeInputPage,
        userCodeConfirmSource: deviceCodeConfirmPage,
        successSource: deviceSuccessPage,
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: async () => audience,
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx: unknown, indicator: string) => {
          if (!sameResource(indicator)) throw new errors.InvalidTarget('the only resource here is the platform API');
          return {
            scope: OAUTH_SCOPES.join(' '),
            audience,
            accessTokenTTL: ctx.settings.accessTokenTtlSeconds,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'ES256' } },
          };
        },
      },
    },
    pkce: { required: () => true },
    responseTypes: ['code'],
    clientAuthMethods: ['none', 'client_secret_basic', 'client_secret_post'],
    routes: OAUTH_ROUTES,
    scopes: ['openid', 'offline_access'],
    ttl: {
      AccessToken: () => ctx.settings.accessTokenTtlSeconds,
      AuthorizationCode: () => 60,
      DeviceCode: () => 600,
      Grant: () => ctx.settings.refreshTokenTtlSeconds,
      IdToken: () => 3600,
      Interaction: () => 3600,
      RefreshToken: () => ctx.settings.refreshTokenTtlSeconds,
      Session: () => 14 * 24 * 3600,
    },
    issueRefreshToken: async (_ctx: unknown, client: ProviderClient) => client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: () => true,
    expiresWithSession: async () => false,
    formats: {
      customizers: {
        // oidc-provider keeps real time; JWT access tokens are stamped in simulator time so that
        // `/__sim/clock` moves their expiry on the REST API the same way it moves everything else.
        jwt: async (_ctx: unknown, _token: unknown, jwt: { payload: { iat?: number; exp?: number } }) => {
          const offset = Math.round(ctx.clock.offsetSeconds);
          if (!offset) return;
          if (typeof jwt.payload.iat === 'number') jwt.payload.iat += offset;
          if (typeof jwt.payload.exp === 'number') jwt.payload.exp += offset;
        },
      },
    },
    extraTokenClaims: async (_ctx: unknown, token: { kind: string; grantId?: string }) => {
      if (token.kind !== 'AccessToken' || !token.grantId) return undefined;
      const record = ctx.store.oauthTokenByGrant(token.grantId);
      return record ? { roleCap: record.defaultRole, oauthTokenId: record.id } : undefined;
    },
    interactions: {
      url: async (_ctx: unknown, interaction: { uid: string }) => `${INTERACTION_PREFIX}${interaction.uid}`,
    },
    renderError: async (koa: KoaContextWithOIDC, out: { error?: string; error_description?: string }) => {
      koa.type = 'html';
      koa.body = messagePage('Sign-in failed', `${out.error ?? 'error'}: ${out.error_description ?? ''}`);
    },
  });

  provider.use(async (koa, next) => {
    await next();
    const route = koa.oidc?.route;
    if (route === 'discovery' && koa.body && typeof koa.body === 'object') {
      const metadata = koa.body as Record<string, unknown>;
      // RFC 8414 metadata lists the scopes a client may ask for, not oidc-provider's OIDC-level ones.
      metadata.scopes_supported = [...OAUTH_SCOPES, 'offline_access'];
      // RFC 8414 §2: when this is absent a client must assume client_secret_basic, which a public
      // client cannot do; revocation takes the same methods as the token endpoint ("none" first).
      metadata.revocation_endpoint_auth_methods_supported = metadata.token_endpoint_auth_methods_supported;
    }
    // RFC 6749 §5.1: answers carrying tokens say no-store (oidc-provider does) and Pragma: no-cache.
    if (route === 'token' || route === 'device_authorization') koa.set('pragma', 'no-cache');
    if (route === 'revocation') await revokeJwtAccessToken(ctx, koa);
  });

  listen(ctx, provider);
  const interactions = new Interactions(ctx, provider);
  const callback = provider.callback();

  const control: OauthControl = {
    async revokeGrant(grantId: string) {
      const records = ctx.store.state.oidc;
      for (const [key, record] of Object.entries(records)) {
        if (key === `Grant:${grantId}` || record.payload.grantId === grantId) delete records[key];
      }
      ctx.store.changed();
    },
  };

  return {
    owns: (path) => path.startsWith('/oauth/') || path.startsWith('/.well-known/'),
    async handle(req, res, path) {
      if (path.startsWith(INTERACTION_PREFIX)) return interactions.handle(req, res, path);
      await new Promise<void>((resolve) => {
        res.once('close', resolve);
        callback(req, res);
      });
    },
    control,
  };
}

/**
 * RFC 7009 §2.1 says a server SHOULD revoke access tokens too, and MAY revoke the refresh token
 * with them. oidc-provider refuses structured (JWT) access tokens with `unsupported_token_type`;
 * here, once it has authenticated the client, such a token revokes its whole grant (the OAuth token
 * record the REST API checks on every call, and the refresh token). Invalid or expired tokens and
 * tokens of another client answer 200 and revoke nothing, as the RFC asks.
 */
async function revokeJwtAccessToken(ctx: SimContext, koa: KoaContextWithOIDC): Promise<void> {
  const body = koa.body as { error?: string } | undefined;
  const client = koa.oidc?.client;
  const token = koa.oidc?.params?.token;
  if (koa.status !== 400 || body?.error !== 'unsupported_token_type' || !client || typeof token !== 'string') return;
  koa.status = 200;
  koa.body = '';
  let payload: Record<string, unknown>;
  try {
    const verified = await ctx.signer.verify(token, ctx.clock.now());
    if (verified.header.typ !== 'at+jwt') return;
    payload = verified.payload;
  } catch {
    return;
  }
  if (payload.client_id !== client.clientId || typeof payload.oauthTokenId !== 'string') return;
  const record = ctx.store.oauthToken(payload.oauthTokenId);
  if (!record) return;
  await revokeOauthToken(ctx, record, 'access-token-revoked');
  ctx.store.recordEvent('oauth.revocation', { clientId: client.clientId, tokenType: 'access_token' });
}

/** Mirrors what oidc-provider does into `/me/oauth-tokens` and `/__sim/events`. */
function listen(ctx: SimContext, provider: Provider): void {
  const { store } = ctx;
  provider.on('grant.success', (koa: KoaContextWithOIDC) => {
    const grantId = koa.oidc.entities.AccessToken?.grantId ?? koa.oidc.entities.Grant?.jti;
    const record = grantId ? store.oauthTokenByGrant(grantId) : undefined;
    if (record && record.authorizationStatus === 'pending') {
      record.authorizationStatus = 'authorized';
      record.lastUpdated = ctx.clock.nowIso();
    }
    store.recordEvent('oauth.token', {
      result: 'issued',
      grantType: String(koa.oidc.params?.grant_type ?? ''),
      clientId: koa.oidc.client?.clientId ?? '',
      ...(record ? { oauthTokenId: record.id, userId: record.userId } : {}),
    });
    store.changed();
  });
  provider.on('grant.error', (koa: KoaContextWithOIDC, error: { error?: string; error_description?: string }) => {
    store.recordEvent('oauth.token', {
      result: 'refused',
      grantType: String(koa.oidc?.params?.grant_type ?? ''),
      clientId: koa.oidc?.client?.clientId ?? '',
      error: error.error ?? 'error',
      reason: error.error_description ?? '',
    });
  });
  provider.on('grant.revoked', (_koa: KoaContextWithOIDC, grantId: string) => {
    const record = store.oauthTokenByGrant(grantId);
    if (!record) return;
    store.removeOauthToken(record.id);
    store.recordEvent('oauthToken.deleted', {
      oauthTokenId: record.id,
      userId: record.userId,
      clientId: record.clientId,
      reason: 'grant-revoked',
    });
    store.changed();
  });
  provider.on(
    'authorization.error',
    (koa: KoaContextWithOIDC, error: { error?: string; error_description?: string }) => {
      store.recordEvent('oauth.authorization', {
        result: 'refused',
        clientId: koa.oidc?.client?.clientId ?? String(koa.oidc?.params?.client_id ?? ''),
        error: error.error ?? 'error',
        reason: error.error_description ?? '',
      });
    },
  );
  provider.on('registration_create.success', (_koa: KoaContextWithOIDC, client: { clientId: string }) => {
    store.recordEvent('oauth.client.registered', { clientId: client.clientId });
  });
  provider.on('revocation.success', (koa: KoaContextWithOIDC) => {
    store.recordEvent('oauth.revocation', { clientId: koa.oidc?.client?.clientId ?? '' });
  });
  provider.on('server_error', (_koa: KoaContextWithOIDC, error: Error) => {
    store.recordEvent('oauth.server_error', { message: error.message });
  });
}
