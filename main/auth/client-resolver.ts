import type * as oauth from 'oauth4webapi';
import type { Profile } from '../../common/contract/auth';
import { registerClient } from './client-registration';
import type { Clock } from './clock';
import { discoverServer, type FetchLike } from './discovery';
import { OAuthClient } from './oauth-client';

export interface ClientResolverOptions {
  fetch?: FetchLike;
  clock?: Clock;
  /** Keeps a dynamically registered client id in the profile, so registration happens once per server. */
  remember: (profileId: string, clientId: string) => Promise<void>;
}

/**
 * The OAuth client for a profile: the server's metadata (discovered once per API URL and cached;
 * a failed discovery is tried again next time), and the client id — the configured one, the one
 * registered earlier, or a new registration.
 */
export class ClientResolver {
  readonly #options: ClientResolverOptions;
  readonly #servers = new Map<string, Promise<oauth.AuthorizationServer>>();

  constructor(options: ClientResolverOptions) {
    this.#options = options;
  }

  async clientFor(profile: Profile, signal?: AbortSignal): Promise<OAuthClient> {
    let server = this.#servers.get(profile.apiUrl);
    if (!server) {
      server = discoverServer(profile.apiUrl, { fetch: this.#options.fetch, signal });
      this.#servers.set(profile.apiUrl, server);
      server.catch(() => this.#servers.delete(profile.apiUrl));
    }
    const as = await server;
    let clientId = profile.clientId ?? profile.registeredClientId;
    if (!clientId) {
      clientId = await registerClient(as, { fetch: this.#options.fetch, signal });
      await this.#options.remember(profile.id, clientId);
    }
    return new OAuthClient(as, clientId, { fetch: this.#options.fetch, clock: this.#options.clock });
  }

  /** Drops the cached metadata of a server (its profile now points elsewhere). */
  forget(apiUrl: string): void {
    this.#servers.delete(apiUrl);
  }
}
