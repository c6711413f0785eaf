import type { SimContext } from '../context';
import type { OauthToken } from '../model/types';
import { type Reply, type RestRequest } from './types';
/** Removes OAuth tokens whose code was never exchanged within the pending lifetime (24 h by default). */
export declare function sweepPendingOauthTokens(ctx: SimContext): Promise<void>;
/** Deletes the record and revokes everything oidc-provider issued under its grant. */
export declare function revokeOauthToken(ctx: SimContext, token: OauthToken, reason: string): Promise<void>;
export declare function listOauthTokens(request: RestRequest): Promise<Reply>;
export declare function getOauthToken(request: RestRequest): Promise<Reply>;
export declare function patchOauthToken(request: RestRequest): Promise<Reply>;
export declare function deleteOauthToken(request: RestRequest): Promise<Reply>;
