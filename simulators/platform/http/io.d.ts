import type { IncomingMessage, ServerResponse } from 'node:http';
export declare const MAX_BODY_BYTES: number;
/** Reads the whole request body, refusing more than `limit` bytes with a 413. */
export declare function readBody(req: IncomingMessage, limit?: number): Promise<Buffer>;
/** Parses a JSON request body; an empty body is `undefined`, malformed JSON is a 400 Validation. */
export declare function readJson(req: IncomingMessage): Promise<unknown>;
export declare function readForm(req: IncomingMessage): Promise<URLSearchParams>;
export declare function sendJson(res: ServerResponse, status: number, body: unknown, headers?: Record<string, string>): void;
export declare function sendHtml(res: ServerResponse, status: number, html: string): void;
/** The remote address without the IPv4-mapped prefix. */
export declare function remoteAddress(req: IncomingMessage): string;
export declare function isLoopbackAddress(address: string): boolean;
