import type { IncomingMessage, ServerResponse } from 'node:http';
import type { OauthControl, SimContext } from '../context';
import type { ServerKeys } from '../security/server-keys';
import type { SeedSpec } from '../seed/spec';
export declare const OAUTH_SCOPES: string[];
/** The OAuth endpoints, where the real service puts them (`/oauth/token`, `/oauth/revoke`, `/oauth/clients`). */
export declare const OAUTH_ROUTES: {
    authorization: string;
    token: string;
    revocation: string;
    registration: string;
    device_authorization: string;
    code_verification: string;
    jwks: string;
    end_session: string;
    pushed_authorization_request: string;
    introspection: string;
    userinfo: string;
    backchannel_authentication: string;
    challenge: string;
    credential: string;
};
export interface OauthServer {
    /** Whether a request path belongs to the OAuth server. */
    owns(path: string): boolean;
    handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void>;
    control: OauthControl;
}
/**
 * The OAuth 2.0 authorization server: oidc-provider with authorization code + PKCE (S256 only,
 * required), loopback redirects on any port for native clients, refresh token rotation (a reused
 * refresh token revokes the grant), revocation, dynamic registration and the device authorization
 * grant. Access tokens are RFC 9068 JWTs (ES256) for the REST API as resource, carrying `roleCap`
 * and `oauthTokenId` (the `/me/oauth-tokens` record that REST calls check on every use).
 */
export declare function createOauthServer(ctx: SimContext, keys: ServerKeys, clients: SeedSpec['oauthClients']): OauthServer;
