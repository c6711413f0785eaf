import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { authenticate, type Principal } from './authz/principal';
import type { SimContext } from './context';
import { ApiError, typeForStatus, withBearerChallenge } from './http/api-error';
import { readJson, remoteAddress, sendJson } from './http/io';
import { SimClock, type Clock } from './model/clock';
import { Persistence } from './model/persistence';
import { PlatformStore } from './model/store';
import type { SimEvent } from './model/types';
import { createOauthServer, OAUTH_SCOPES } from './oauth/provider';
import { restRouter } from './routes';
import { sweepPendingOauthTokens } from './routes/oauth-tokens';
import type { RestRequest } from './routes/types';
import { applySeed } from './seed/apply';
import { seedInfo, type SeedInfo } from './seed/info';
import { loadSeedSpec, type SeedSource } from './seed/load';
import { generateServerKeys, SecretHasher } from './security/server-keys';
import { TokenSigner } from './security/token-signer';
import { applySettings, resolveSettings, SettingsPatch } from './settings';
import { handleControl, type SimRuntime } from './sim/controls';
import { Faults } from './sim/faults';
import { RateLimiter } from './sim/rate-limit';

export interface PlatformSimulatorOptions extends SettingsPatch {
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Address to listen on (default 127.0.0.1). */
  host?: string;
  /** Persist state and keys here (atomic writes); default in memory only. */
  dataDir?: string;
  /** `demo` (default), a path to a seed JSON file, or a seed object. Ignored when `dataDir` already holds state. */
  seed?: SeedSource;
  /** Base URL to announce (issuer, token audience); default `http://HOST:PORT`. */
  issuer?: string;
  /** Time source under the simulator clock (tests); default `Date.now`. */
  clock?: Clock;
}

export interface RunningPlatformSimulator {
  /** Base URL, e.g. `http://127.0.0.1:41234` (REST API, OAuth and `/__sim/` all live here). */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** The seed as it was at start (same JSON as `GET /__sim/seed`). */
  readonly seed: SeedInfo;
  /** The seed now (tokens re-signed, devices that still exist). */
  getSeed(): Promise<SeedInfo>;
  /** Back to the seed: data, faults, rate limits and clock (`POST /__sim/reset`). */
  reset(): Promise<SeedInfo>;
  /** What happened so far (`GET /__sim/events`). */
  events(): SimEvent[];
  /** Changes settings at run time (`PATCH /__sim/settings`). */
  updateSettings(patch: SettingsPatch): void;
  /** Moves the simulator clock forward (`POST /__sim/clock`). */
  advanceClock(seconds: number): void;
  /** Stops listening, drops open connections and writes pending state. */
  close(): Promise<void>;
}

const SWEEP_INTERVAL_MS = 60_000;

function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

/**
 * Starts the platform simulator: the REST API of platform-api.md, its OAuth server and the sandbox
 * controls, on one HTTP server. Callers own the result and must `close()` it.
 */
export async function startPlatformSimulator(
  options: PlatformSimulatorOptions = {},
): Promise<RunningPlatformSimulator> {
  const {
    port = 0,
    host = '127.0.0.1',
    dataDir,
    seed = 'demo',
    issuer: issuerOption,
    clock: baseClock,
    ...patch
  } = options;
  const settings = resolveSettings(patch);
  const spec = await loadSeedSpec(seed);
  const clock = new SimClock(baseClock);

  // The store needs the persistence (to save on change) and the persistence the store (to snapshot).
  const holder: { store?: PlatformStore } = {};
  const persistence = dataDir
    ? new Persistence(dataDir, () => {
        if (!holder.store) throw new Error('store not ready');
        return holder.store.state;
      })
    : undefined;
  const keys = persistence ? await persistence.loadKeys() : generateServerKeys();
  const hasher = new SecretHasher(keys.hmacKey);
  const stored = persistence ? await persistence.loadState() : undefined;

  const server = createServer({ keepAliveTimeout: 5000 });
  const address = await listen(server, port, host);
  const issuer = issuerOption ?? `http://${urlHost(host)}:${address.port}`;

  const store = new PlatformStore(stored ?? applySeed(spec, hasher, clock.now()), clock, () =>
    persistence?.scheduleSave(),
  );
  holder.store = store;
  const ctx: SimContext = {
    issuer,
    store,
    clock,
    signer: new TokenSigner(keys.signingJwk),
    hasher,
    settings,
    rateLimiter: new RateLimiter(clock, () => ctx.settings.stateRateLimit),
    oauth: { revokeGrant: async () => undefined },
  };
  const oauth = createOauthServer(ctx, keys, spec.oauthClients);
  ctx.oauth = oauth.control;
  const faults = new Faults();
  const runtime: SimRuntime = {
    ctx,
    faults,
    seed: () => seedInfo(ctx, spec, OAUTH_SCOPES),
    reset: async () => {
      clock.reset();
      faults.clear();
      ctx.rateLimiter.clear();
      ctx.store.replace(applySeed(spec, hasher, clock.now()));
      ctx.store.recordEvent('sim.reset', { seed: spec.name });
      return seedInfo(ctx, spec, OAUTH_SCOPES);
    },
  };
  const router = restRouter();

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    void handleRequest(runtime, router, oauth, req, res);
  });
  if (!stored) store.recordEvent('sim.seeded', { seed: spec.name });
  else store.recordEvent('sim.restarted', { seed: spec.name });
  store.changed();

  const sweep = setInterval(() => void sweepPendingOauthTokens(ctx), SWEEP_INTERVAL_MS);
  sweep.unref();

  let closing: Promise<void> | undefined;
  return {
    url: issuer,
    host,
    port: address.port,
    seed: await runtime.seed(),
    getSeed: runtime.seed,
    reset: runtime.reset,
    events: () => ctx.store.state.events.map((event) => ({ ...event })),
    updateSettings: (next) => {
      ctx.settings = applySettings(ctx.settings, SettingsPatch.parse(next));
    },
    advanceClock: (seconds) => clock.advance(seconds),
    close: () =>
      (closing ??= (async () => {
        clearInterval(sweep);
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await closed;
        await persistence?.flush();
      })()),
  };
}

async function handleRequest(
  runtime: SimRuntime,
  router: ReturnType<typeof restRouter>,
  oauth: ReturnType<typeof createOauthServer>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const { ctx, faults } = runtime;
  const method = req.method ?? 'GET';
  let url: URL;
  try {
    url = new URL(req.url ?? '/', 'http://simulator.invalid');
  } catch {
    return sendJson(res, 400, { type: 'Validation', message: 'Request URL is not valid' });
  }
  const path = url.pathname;
  try {
    if (path.startsWith('/__sim/')) return await handleControl(runtime, req, res, url);

    const fault = faults.take(method, path);
    if (fault) {
      ctx.store.recordEvent('sim.fault', {
        faultId: fault.id,
        method,
        path,
        ...(fault.latencyMs ? { latencyMs: fault.latencyMs } : {}),
        ...(fault.status ? { status: fault.status } : {}),
        ...(fault.drop ? { drop: true } : {}),
      });
      if (fault.latencyMs) await delay(fault.latencyMs);
      if (fault.drop) {
        req.socket.destroy();
        return;
      }
      if (fault.status) {
        return sendJson(
          res,
          fault.status,
          fault.body ?? { type: typeForStatus(fault.status), message: 'Injected fault' },
        );
      }
    }

    if (oauth.owns(path)) return await oauth.handle(req, res, path);

    const match = router.match(method, path);
    if (match.kind === 'not-found') throw new ApiError(404, 'NotFound', `There is no resource at ${path}`);
    if (match.kind === 'method-not-allowed') {
      res.setHeader('allow', match.allowed.join(', '));
      throw new ApiError(405, 'MethodNotAllowed', `${method} is not allowed on ${path}`);
    }
    let body: Promise<unknown> | undefined;
    let principal: Promise<Principal> | undefined;
    const request: RestRequest = {
      ctx,
      req,
      params: match.params,
      query: url.searchParams,
      ip: remoteAddress(req),
      body: () => (body ??= readJson(req)),
      principal: () =>
        (principal ??= authenticate(ctx, req).catch((error: unknown) => {
          throw error instanceof ApiError ? withBearerChallenge(error, !!req.headers.authorization) : error;
        })),
    };
    const reply = await match.handler(request);
    sendJson(res, reply.status, reply.body);
  } catch (error) {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (error instanceof ApiError) return sendJson(res, error.status, error.toBody(), error.headers);
    ctx.store.recordEvent('server.error', { method, path, message: (error as Error).message });
    sendJson(res, 500, { type: 'InternalError', message: 'The platform simulator failed on this request' });
  }
}
