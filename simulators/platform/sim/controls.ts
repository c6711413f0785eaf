import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { SimContext } from '../context';
import { ApiError, validation } from '../http/api-error';
import { isLoopbackAddress, readJson, remoteAddress, sendJson } from '../http/io';
import { Router } from '../http/router';
import { parseBody } from '../routes/schemas';
import type { SeedInfo } from '../seed/info';
import { applySettings, SettingsPatch } from '../settings';
import { FaultSpec, type Faults } from './faults';

/** What the sandbox controls act on. */
export interface SimRuntime {
  ctx: SimContext;
  faults: Faults;
  seed(): Promise<SeedInfo>;
  reset(): Promise<SeedInfo>;
}

type ControlHandler = (runtime: SimRuntime, body: unknown, query: URLSearchParams) => Promise<unknown>;

const ClockPatch = z.strictObject({ advanceSeconds: z.number() });

const controls = new Router<ControlHandler>()
  .add('GET', '/__sim/seed', (runtime) => runtime.seed())
  .add('POST', '/__sim/reset', (runtime) => runtime.reset())
  .add('GET', '/__sim/events', async (runtime, _body, query) => {
    const since = Number(query.get('since') ?? 0);
    if (!Number.isInteger(since) || since < 0) throw validation('since must be a non-negative integer');
    const type = query.get('type');
    const events = runtime.ctx.store.state.events.filter(
      (event) => event.seq > since && (!type || event.type === type || event.type.startsWith(`${type}.`)),
    );
    return { events, lastSeq: runtime.ctx.store.state.eventSeq };
  })
  .add('GET', '/__sim/faults', async (runtime) => ({ faults: runtime.faults.list() }))
  .add('POST', '/__sim/faults', async (runtime, body) => {
    const specs = parseBody(z.union([FaultSpec, z.array(FaultSpec).min(1)]), body);
    const added = (Array.isArray(specs) ? specs : [specs]).map((spec) => runtime.faults.add(spec));
    runtime.ctx.store.recordEvent('sim.faults', { added: added.map((fault) => ({ ...fault })) });
    return { faults: added };
  })
  .add('DELETE', '/__sim/faults', async (runtime) => {
    runtime.faults.clear();
    return { faults: [] };
  })
  .add('GET', '/__sim/clock', async (runtime) => clockView(runtime.ctx))
  .add('POST', '/__sim/clock', async (runtime, body) => {
    const { advanceSeconds } = parseBody(ClockPatch, body);
    runtime.ctx.clock.advance(advanceSeconds);
    runtime.ctx.store.recordEvent('sim.clock', { advanceSeconds, offsetSeconds: runtime.ctx.clock.offsetSeconds });
    return clockView(runtime.ctx);
  })
  .add('GET', '/__sim/settings', async (runtime) => runtime.ctx.settings)
  .add('PATCH', '/__sim/settings', async (runtime, body) => {
    const patch = parseBody(SettingsPatch, body);
    runtime.ctx.settings = applySettings(runtime.ctx.settings, patch);
    runtime.ctx.store.recordEvent('sim.settings', { changed: Object.keys(patch) });
    return runtime.ctx.settings;
  });

function clockView(ctx: SimContext) {
  return { now: ctx.clock.nowIso(), offsetSeconds: ctx.clock.offsetSeconds };
}

/**
 * `/__sim/...`: sandbox controls for tests and the embedded sandbox, refused unless the caller is on
 * this machine and addressed the server by a loopback name (against DNS rebinding).
 */
export async function handleControl(
  runtime: SimRuntime,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const host = (req.headers.host ?? '').replace(/:\d+$/, '');
  const loopbackHost = host === 'localhost' || host === '[::1]' || host.startsWith('127.');
  if (!isLoopbackAddress(remoteAddress(req)) || !loopbackHost) {
    return sendJson(res, 403, { type: 'Forbidden', message: 'Sandbox controls answer loopback callers only' });
  }
  const match = controls.match(req.method ?? 'GET', url.pathname);
  try {
    if (match.kind === 'not-found') throw new ApiError(404, 'NotFound', `No sandbox control at ${url.pathname}`);
    if (match.kind === 'method-not-allowed') {
      throw new ApiError(405, 'MethodNotAllowed', `${req.method} is not allowed on ${url.pathname}`);
    }
    const body = req.method === 'GET' || req.method === 'DELETE' ? undefined : await readJson(req);
    sendJson(res, 200, await match.handler(runtime, body, url.searchParams));
  } catch (error) {
    if (error instanceof ApiError) return sendJson(res, error.status, error.toBody());
    if (error instanceof SyntaxError) return sendJson(res, 400, validation(error.message).toBody());
    throw error;
  }
}
