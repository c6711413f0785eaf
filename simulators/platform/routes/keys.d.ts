import { type Reply, type RestRequest } from './types';
export declare function listKeys(request: RestRequest): Promise<Reply>;
/**
 * `POST .../keys`: the only answer that ever carries the secret. The secret is 256 random bits; the
 * store keeps its HMAC only.
 */
export declare function createKey(request: RestRequest): Promise<Reply>;
export declare function getKey(request: RestRequest): Promise<Reply>;
export declare function patchKey(request: RestRequest): Promise<Reply>;
export declare function deleteKey(request: RestRequest): Promise<Reply>;
