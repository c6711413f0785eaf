import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningPlatformSimulator } from '../../../simulators/platform';
import { startProcess, type StartedProcess } from '../../helpers/process';
import { api, authDevice, call, signIn, startSimulator, tokenRequest, type Json } from './helpers';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function simulator(options = {}): Promise<RunningPlatformSimulator> {
  const sim = await startSimulator(options);
  cleanups.push(() => sim.close());
  return sim;
}

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'keyline-platform-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const root = path.resolve(__dirname, '../../..');

async function cli(args: string[]): Promise<{ process: StartedProcess; url: string }> {
  const process = await startProcess(
    path.join(root, 'node_modules/.bin/tsx'),
    ['simulators/platform/cli.ts', ...args],
    {
      ready: /platform listening on (http:\/\/\S+)/,
      cwd: root,
    },
  );
  cleanups.push(() => process.stop());
  return { process, url: process.ready[1] as string };
}

describe('GET /__sim/seed', () => {
  it('reports the seeded ids and credentials, with devices of every class', async () => {
    const sim = await simulator();
    const { status, body } = await call(sim.url, 'GET', '/__sim/seed');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      baseUrl: sim.url,
      orgId: expect.stringMatching(/^[a-f\d]{24}$/),
      orgName: 'Brightwater Instruments',
      applicationId: expect.stringMatching(/^[a-f\d]{24}$/),
      applicationName: 'Cold Chain Sensors',
      apiToken: expect.any(String),
      technician: { email: 'sam.rivera@brightwater.example', password: expect.any(String), role: 'collaborate' },
      support: { email: 'lee.chen@brightwater.example', password: expect.any(String), role: 'view' },
      oauthClientId: 'keyline-station',
    });
    const classes = new Set(body.devices.map((device: Json) => device.deviceClass));
    expect([...classes].sort()).toEqual([
      'edgeCompute',
      'embedded',
      'floating',
      'gateway',
      'peripheral',
      'standalone',
      'system',
    ]);
    expect(body.expiredApiTokenId).toEqual(expect.any(String));
    expect(body.accessKeys.find((key: Json) => key.id === body.inactiveAccessKeyId)?.status).toBe('inactive');
    // The all-permissions token works.
    expect(
      (await api(sim, body.apiToken).post(`/applications/${body.applicationId}/tokens`, { name: 'x' })).status,
    ).toBe(201);
    // Ids are stable across instances (derived from the seed), credentials are not.
    const other = await simulator();
    expect(other.seed.applicationId).toBe(body.applicationId);
    expect(other.seed.accessKeys[0]?.secret).not.toBe(body.accessKeys[0].secret);
  });

  it('takes a seed file', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'seed.json');
    const { writeFile } = await import('node:fs/promises');
    await writeFile(
      file,
      JSON.stringify({
        name: 'tiny',
        users: [
          { key: 'tech', email: 'tech@example.com', password: 'pw', firstName: 'T', lastName: 'Ech' },
          { key: 'ro', email: 'ro@example.com', password: 'pw', firstName: 'R', lastName: 'O' },
        ],
        orgs: [
          {
            key: 'o',
            name: 'Tiny Org',
            members: [
              { user: 'tech', role: 'collaborate' },
              { user: 'ro', role: 'view' },
            ],
          },
        ],
        applications: [{ key: 'a', org: 'o', name: 'Tiny App' }],
        devices: [{ key: 'd', application: 'a', name: 'Only device', deviceClass: 'standalone' }],
        apiTokens: [{ key: 't', application: 'a', name: 'all', scope: ['all.Application'] }],
        oauthClients: [{ clientId: 'tiny-station', clientName: 'Tiny', redirectUris: ['http://127.0.0.1/cb'] }],
        report: { org: 'o', application: 'a', apiToken: 't', technician: 'tech', support: 'ro' },
      }),
    );
    const sim = await simulator({ seed: file });
    expect(sim.seed).toMatchObject({ orgName: 'Tiny Org', applicationName: 'Tiny App', oauthClientId: 'tiny-station' });
    expect(sim.seed.devices).toHaveLength(1);
    await expect(startSimulator({ seed: path.join(dir, 'missing.json') })).rejects.toThrow(/cannot read seed file/);
  });
});

describe('sandbox controls', () => {
  it('resets data, events, faults and clock', async () => {
    const sim = await simulator();
    const rest = api(sim, sim.seed.apiToken);
    const device = sim.seed.devices[0]!;
    await rest.delete(`/applications/${sim.seed.applicationId}/devices/${device.id}`);
    await call(sim.url, 'POST', '/__sim/faults', { body: { path: '/me', status: 500 } });
    await call(sim.url, 'POST', '/__sim/clock', { body: { advanceSeconds: 3600 } });
    const reset = await call(sim.url, 'POST', '/__sim/reset');
    expect(reset.body.devices.map((entry: Json) => entry.id)).toContain(device.id);
    expect((await rest.get(`/applications/${sim.seed.applicationId}/devices/${device.id}`)).status).toBe(200);
    expect((await call(sim.url, 'GET', '/__sim/faults')).body.faults).toEqual([]);
    expect((await call(sim.url, 'GET', '/__sim/clock')).body.offsetSeconds).toBe(0);
  });

  it('lists events since a sequence number and by type', async () => {
    const sim = await simulator();
    const { lastSeq } = (await call(sim.url, 'GET', '/__sim/events')).body;
    const key = sim.seed.accessKeys[0]!;
    await authDevice(sim, { deviceId: key.deviceIds[0], key: key.key, secret: 'wrong' });
    const created = await api(sim, sim.seed.apiToken).post(`/applications/${sim.seed.applicationId}/keys`, {
      name: 'k',
    });
    await api(sim, sim.seed.apiToken).delete(`/applications/${sim.seed.applicationId}/keys/${created.body.id}`);
    const events = (await call(sim.url, 'GET', `/__sim/events?since=${lastSeq}`)).body.events;
    expect(events.map((event: Json) => event.type)).toEqual(['auth.device', 'key.created', 'key.deleted']);
    expect(events[0]).toMatchObject({ result: 'refused', reason: 'Access secret does not match the access key' });
    const keyEvents = (await call(sim.url, 'GET', '/__sim/events?type=key')).body.events;
    expect(keyEvents.map((event: Json) => event.type)).toEqual(['key.created', 'key.deleted']);
    expect((await call(sim.url, 'GET', '/__sim/events?since=soon')).status).toBe(400);
  });

  it('changes settings at run time', async () => {
    const sim = await simulator();
    const patched = await call(sim.url, 'PATCH', '/__sim/settings', { body: { missingScopeStatus: 403 } });
    expect(patched.body.missingScopeStatus).toBe(403);
    const reader = sim.seed.apiTokens.find((token) => token.name.startsWith('Reporting'))!.token;
    expect((await api(sim, reader).post(`/applications/${sim.seed.applicationId}/keys`, {})).status).toBe(403);
    expect((await call(sim.url, 'PATCH', '/__sim/settings', { body: { missingScopeStatus: 404 } })).status).toBe(400);
  });

  it('answers loopback callers addressing a loopback name only', async () => {
    const sim = await simulator();
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${sim.url}/__sim/seed`, { headers: { host: 'attacker.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
  });
});

describe('secrets stay secret', () => {
  it('never puts an access key secret or a token into events, logs or the state file', async () => {
    const dir = await tempDir();
    const sim = await simulator({ dataDir: dir });
    const rest = api(sim, sim.seed.apiToken);
    const app = `/applications/${sim.seed.applicationId}`;
    const device = sim.seed.devices[0]!;
    const key = (await rest.post(`${app}/keys`, { deviceIds: [device.id] })).body;
    const auth = await authDevice(sim, { deviceId: device.id, key: key.key, secret: key.secret });
    await authDevice(sim, { deviceId: device.id, key: key.key, secret: `${key.secret}x` });
    const token = (await rest.post(`${app}/tokens`, { name: 'apitoken' })).body.token;
    const { tokens } = await signIn(sim);
    await sim.close();
    const state = await readFile(path.join(dir, 'platform-state.json'), 'utf8');
    const events = JSON.stringify(sim.events());
    const logs = JSON.stringify(JSON.parse(state).logs);
    for (const secret of [key.secret, auth.body.token, token, tokens.body.access_token, tokens.body.refresh_token]) {
      expect(events).not.toContain(secret);
      expect(logs).not.toContain(secret);
      expect(state).not.toContain(secret);
    }
    for (const seeded of sim.seed.accessKeys) expect(state).not.toContain(seeded.secret);
    expect(state).not.toContain(sim.seed.technician.password);
    expect((await stat(path.join(dir, 'platform-state.json'))).mode & 0o077).toBe(0);
    expect((await stat(path.join(dir, 'platform-keys.json'))).mode & 0o077).toBe(0);
  });
});

describe('persistence (--data DIR)', () => {
  it('keeps devices, keys, tokens and OAuth sessions across restarts', async () => {
    const dir = await tempDir();
    const first = await startSimulator({ dataDir: dir });
    const app = `/applications/${first.seed.applicationId}`;
    const rest = api(first, first.seed.apiToken);
    const device = (
      await rest.post(`${app}/devices`, { name: 'survivor', attributes: [{ name: 'nonce', dataType: 'string' }] })
    ).body;
    const key = (await rest.post(`${app}/keys`, { deviceIds: [device.id] })).body;
    const apiToken = (await rest.post(`${app}/tokens`, { name: 'kept' })).body.token;
    const { tokens } = await signIn(first);
    await first.close();

    const second = await simulator({ dataDir: dir });
    expect((await api(second, apiToken).get(`${app}/devices/${device.id}`)).body.name).toBe('survivor');
    const auth = await authDevice(second, { deviceId: device.id, key: key.key, secret: key.secret });
    expect(auth.status).toBe(200);
    expect((await api(second, tokens.body.access_token).get('/me')).status).toBe(200);
    const refreshed = await tokenRequest(second, {
      grant_type: 'refresh_token',
      refresh_token: tokens.body.refresh_token,
      client_id: second.seed.oauthClientId,
    });
    expect(refreshed.status).toBe(200);
    expect(second.events().at(-1)?.type).toBe('oauth.token');
  });

  it('runs as a process: ready line, --data survives a restart, SIGTERM saves', async () => {
    const dir = await tempDir();
    const first = await cli(['--port', '0', '--data', dir]);
    expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const seed = (await call(first.url, 'GET', '/__sim/seed')).body;
    const app = `/applications/${seed.applicationId}`;
    const created = await call(first.url, 'POST', `${app}/devices`, {
      token: seed.apiToken,
      body: { name: 'from the cli' },
    });
    expect(created.status).toBe(201);
    await first.process.stop();
    expect(first.process.child.exitCode).toBe(0);

    const second = await cli(['--port', '0', '--data', dir]);
    const read = await call(second.url, 'GET', `${app}/devices/${created.body.id}`, { token: seed.apiToken });
    expect(read.body.name).toBe('from the cli');
  });

  it('refuses unknown flags with the usage line', async () => {
    await expect(cli(['--colour', 'red'])).rejects.toThrow(/usage: npm run platform/);
  });
});
