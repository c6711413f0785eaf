/**
 * A small router: `add('GET', '/applications/:applicationId/devices', handler)`. Matching is by
 * whole segments; a path that matches but not with this method is reported so the caller can answer
 * 405 (MethodNotAllowed) rather than 404.
 */
export type Params = Record<string, string>;
export type RouteMatch<H> = {
    kind: 'found';
    handler: H;
    params: Params;
} | {
    kind: 'method-not-allowed';
    allowed: string[];
} | {
    kind: 'not-found';
};
export declare class Router<H> {
    private readonly routes;
    add(method: string, pattern: string, handler: H): this;
    match(method: string, path: string): RouteMatch<H>;
}
