import type { IncomingMessage } from 'node:http';
import type { Principal } from '../authz/principal';
import type { SimContext } from '../context';
import type { Params } from '../http/router';
/** One REST call as handlers see it. */
export interface RestRequest {
    ctx: SimContext;
    req: IncomingMessage;
    params: Params;
    query: URLSearchParams;
    ip: string;
    /** The JSON body (read once, on first use). */
    body(): Promise<unknown>;
    /** The authenticated caller (401 if the token is missing or not good). */
    principal(): Promise<Principal>;
}
export interface Reply {
    status: number;
    body: unknown;
}
export type RestHandler = (request: RestRequest) => Promise<Reply>;
export declare const ok: (body: unknown) => Reply;
export declare const created: (body: unknown) => Reply;
export declare const success: () => Reply;
export declare function param(request: RestRequest, name: string): string;
