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

export const ok = (body: unknown): Reply => ({ status: 200, body });
export const created = (body: unknown): Reply => ({ status: 201, body });
export const success = (): Reply => ({ status: 200, body: { success: true } });

export function param(request: RestRequest, name: string): string {
  const value = request.params[name];
  if (value === undefined) throw new Error(`route has no :${name}`);
  return value;
}
