import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Provider } from 'oidc-provider';
import type { SimContext } from '../context';
/** The path oidc-provider sends the browser to for login and consent. */
export declare const INTERACTION_PREFIX = "/oauth/interaction/";
/**
 * Login and consent, the part of the OAuth flow oidc-provider leaves to the host. Consent creates
 * the user's OAuth token record (pending until the client exchanges its code) and a grant holding
 * exactly the scopes shown.
 */
export declare class Interactions {
    private readonly ctx;
    private readonly provider;
    constructor(ctx: SimContext, provider: Provider);
    handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void>;
    private clientName;
    private demoLogins;
    private render;
    private orgsOf;
    /** The supported scopes the client asked for (others are never granted, so never shown). */
    private requestedScopes;
    private login;
    private consent;
}
