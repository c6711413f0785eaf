import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningPlatformSimulator } from '../../../simulators/platform';
import { api, call, signIn, startSimulator, tokenRequest } from './helpers';

let sim: RunningPlatformSimulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim.close());
beforeEach(async () => {
  await sim.reset();
});

const control = (method: string, path: string, body?: unknown) => call(sim.url, method, path, { body });

describe('state rate limit', () => {
  it('allows 30 reports per device per 15 s, then answers 429', async () => {
    const rest = api(sim, sim.seed.apiToken);
    const [first, second] = sim.seed.devices;
    const state = (id: string) => `/applications/${sim.seed.applicationId}/devices/${id}/state`;
    for (let i = 0; i < 30; i++) {
      expect((await rest.post(state(first!.id), { data: { temperature: i } })).status).toBe(200);
    }
    const limited = await rest.post(state(first!.id), { data: { temperature: 99 } });
    expect(limited).toMatchObject({ status: 429, body: { type: 'TooManyRequests' } });
    // The limit is per device; an array counts as one call.
    expect(
      (await rest.post(state(second!.id), [{ data: { temperature: 1 } }, { data: { temperature: 2 } }])).status,
    ).toBe(200);
    // The refused report was not stored.
    const composite = await rest.get(`/applications/${sim.seed.applicationId}/devices/${first!.id}/compositeState`);
    expect(composite.body.temperature.value).toBe(29);
    sim.advanceClock(15);
    expect((await rest.post(state(first!.id), { data: { temperature: 100 } })).status).toBe(200);
  });
});

describe('faults', () => {
  it('answers an injected status for N calls, then behaves again', async () => {
    const added = await control('POST', '/__sim/faults', {
      method: 'post',
      path: '/auth/device',
      status: 503,
      times: 2,
    });
    expect(added.body.faults[0]).toMatchObject({ method: 'POST', path: '/auth/device', status: 503, remaining: 2 });
    const key = sim.seed.accessKeys[0]!;
    const body = { deviceId: key.deviceIds[0], key: key.key, secret: key.secret };
    const first = await call(sim.url, 'POST', '/auth/device', { body });
    expect(first).toMatchObject({ status: 503, body: { type: 'ServiceUnavailable', message: 'Injected fault' } });
    expect((await call(sim.url, 'POST', '/auth/device', { body })).status).toBe(503);
    expect((await call(sim.url, 'POST', '/auth/device', { body })).status).toBe(200);
    expect((await control('GET', '/__sim/faults')).body.faults).toEqual([]);
    expect(sim.events().filter((event) => event.type === 'sim.fault')).toHaveLength(2);
  });

  it('matches paths by glob and method, with a custom body', async () => {
    await control('POST', '/__sim/faults', [
      {
        method: 'GET',
        path: '/applications/*/devices/*/compositeState',
        status: 500,
        body: { type: 'InternalError', message: 'database unavailable' },
      },
      { path: '/applications/**', status: 429 },
    ]);
    const rest = api(sim, sim.seed.apiToken);
    const device = `/applications/${sim.seed.applicationId}/devices/${sim.seed.devices[0]!.id}`;
    expect((await rest.get(`${device}/compositeState`)).body).toEqual({
      type: 'InternalError',
      message: 'database unavailable',
    });
    expect((await rest.get(device)).status).toBe(429);
    expect((await rest.get(device)).status).toBe(200);
  });

  it('adds latency', async () => {
    await control('POST', '/__sim/faults', { path: '/me', latencyMs: 300 });
    const started = Date.now();
    const answer = await api(sim, sim.seed.apiToken).get('/me');
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(answer.status).toBe(401);
  });

  it('drops the connection', async () => {
    await control('POST', '/__sim/faults', { path: '/applications/*/keys', method: 'POST', drop: true });
    await expect(
      api(sim, sim.seed.apiToken).post(`/applications/${sim.seed.applicationId}/keys`, {}),
    ).rejects.toThrow();
    expect((await api(sim, sim.seed.apiToken).post(`/applications/${sim.seed.applicationId}/keys`, {})).status).toBe(
      201,
    );
  });

  it('faults the OAuth token endpoint too', async () => {
    const { tokens } = await signIn(sim);
    await control('POST', '/__sim/faults', { path: '/oauth/token', status: 502 });
    const failed = await tokenRequest(sim, {
      grant_type: 'refresh_token',
      refresh_token: tokens.body.refresh_token,
      client_id: sim.seed.oauthClientId,
    }).catch(() => undefined);
    expect(failed?.status).toBe(502);
    const retried = await tokenRequest(sim, {
      grant_type: 'refresh_token',
      refresh_token: tokens.body.refresh_token,
      client_id: sim.seed.oauthClientId,
    });
    expect(retried.status).toBe(200);
  });

  it('clears faults and validates them', async () => {
    await control('POST', '/__sim/faults', { path: '/me', status: 500, times: 100 });
    expect((await control('DELETE', '/__sim/faults')).body).toEqual({ faults: [] });
    expect((await api(sim, sim.seed.apiToken).get('/me')).status).toBe(401);
    for (const bad of [
      {},
      { path: 'no-slash' },
      { path: '/x', status: 200 },
      { path: '/x', drop: true, status: 500 },
      { path: '/x', bogus: 1 },
    ]) {
      expect((await control('POST', '/__sim/faults', bad)).status, JSON.stringify(bad)).toBe(400);
    }
  });
});
