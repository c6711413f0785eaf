import type { SimContext } from '../context';
import type { ApiToken } from '../model/types';
import { type Reply, type RestRequest } from './types';
/** The bearer string of an API token: a JWT the simulator can re-create for the seed. */
export declare function signApiToken(ctx: SimContext, token: ApiToken): Promise<string>;
export declare function listApplicationTokens(request: RestRequest): Promise<Reply>;
export declare function createApplicationToken(request: RestRequest): Promise<Reply>;
export declare function getApplicationToken(request: RestRequest): Promise<Reply>;
export declare function patchApplicationToken(request: RestRequest): Promise<Reply>;
export declare function deleteApplicationToken(request: RestRequest): Promise<Reply>;
export declare function listUserTokens(request: RestRequest): Promise<Reply>;
export declare function createUserToken(request: RestRequest): Promise<Reply>;
export declare function getUserToken(request: RestRequest): Promise<Reply>;
export declare function patchUserToken(request: RestRequest): Promise<Reply>;
export declare function deleteUserToken(request: RestRequest): Promise<Reply>;
