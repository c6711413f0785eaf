import { Writable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../main/host/logger';
import {
  PlatformClient,
  PlatformError,
  isRestrictedToDevice,
  staticTokenSource,
  type ExchangeRecord,
  type PlatformClientOptions,
} from '../../../main/platform';
import { SecretRedactor } from '../../../main/security/secret-redactor';
import {
  startPlatformSimulator,
  type FaultSpec,
  type RunningPlatformSimulator,
  type SeedInfo,
} from '../../../simulators/platform';

let sim: RunningPlatformSimulator;
let seed: SeedInfo;

beforeAll(async () => {
  sim = await startPlatformSimulator({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(async () => {
  seed = await sim.reset();
});

function clientWith(token: string, options: Partial<PlatformClientOptions> = {}) {
  const exchanges: ExchangeRecord[] = [];
  const client = new PlatformClient({
    apiUrl: sim.url,
    tokens: staticTokenSource(token),
    retry: { baseDelayMs: 5, maxDelayMs: 20 },
    timeoutMs: 2_000,
    onExchange: (record) => exchanges.push(record),
    ...options,
  });
  return { client, exchanges };
}

async function fault(spec: Partial<FaultSpec> & { path: string }): Promise<void> {
  const response = await fetch(`${sim.url}/__sim/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(spec),
  });
  expect(response.status).toBe(200);
}

async function clearFaults(): Promise<void> {
  const response = await fetch(`${sim.url}/__sim/faults`, { method: 'DELETE' });
  expect(response.status).toBe(200);
}

async function failure(promise: Promise<unknown>): Promise<PlatformError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(PlatformError);
  return error as PlatformError;
}

function userToken(): string {
  const token = seed.apiTokens.find((entry) => entry.ownerType === 'user' && entry.ownerId === seed.technician.id);
  if (!token) throw new Error('seed has no user API token for the technician');
  return token.token;
}

describe('platform client against the platform simulator', () => {
  it('provisions a device end to end: create, restricted key, device auth, state, composite state, revoke', async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _encoding, callback) {
        lines.push(String(chunk));
        callback();
      },
    });
    const redactor = new SecretRedactor();
    const logger = createLogger({ destination, level: 'debug', redactor });
    const { client } = clientWith(seed.apiToken, { redactor, logger });
    const app = seed.applicationId;

    const device = await client.devices.create(app, {
      name: 'CCS-100-TEST0001',
      deviceClass: 'standalone',
      tags: [{ key: 'hwid', value: 'TEST0001' }],
      attributes: [{ name: 'nonce', dataType: 'string' }],
    });
    expect(device.deviceClass).toBe('standalone');

    const found = [];
    for await (const entry of client.devices.all(app, { tagFilter: [{ key: 'hwid', value: 'TEST0001' }] })) {
      found.push(entry.id);
    }
    expect(found).toEqual([device.id]);

    const minted = await client.keys.create(app, {
      name: 'keyline-run-0001',
      description: 'station test',
      deviceIds: [device.id],
    });
    const { secret } = minted.value;
    expect(secret.length).toBeGreaterThanOrEqual(16);
    expect(isRestrictedToDevice(minted.value, device.id)).toBe(true);

    const authed = await client.authenticateDevice({ deviceId: device.id, key: minted.value.key, secret });
    expect(authed.value.deviceId).toBe(device.id);
    const asDevice = client.withTokens(staticTokenSource(authed.value.token));
    await asDevice.devices.sendState(app, device.id, { data: { nonce: 'nonce-0001', ignored: 5 } });

    const state = await client.devices.compositeState(app, device.id);
    expect(state['nonce']?.value).toBe('nonce-0001');
    expect(state['ignored']).toBeUndefined();
    const log = await client.devices.logs(app, device.id);
    expect(log.length).toBeGreaterThan(0);

    const listed = await client.keys.list(app, { filterField: 'name', filter: 'keyline-run-0001' });
    expect(listed.items.map((key) => key.applicationKeyId)).toEqual([minted.value.applicationKeyId]);
    expect(JSON.stringify(listed)).not.toContain(secret);

    const inactive = await client.keys.patch(app, minted.value.applicationKeyId, { status: 'inactive' });
    expect(inactive.status).toBe('inactive');
    const refused = await failure(client.authenticateDevice({ deviceId: device.id, key: minted.value.key, secret }));
    expect(refused.code).toBe('PLATFORM_UNAUTHORIZED');
    expect(refused.message).toContain('Access key is inactive');

    await client.keys.delete(app, minted.value.applicationKeyId);
    expect((await failure(client.keys.get(app, minted.value.applicationKeyId))).code).toBe('PLATFORM_NOT_FOUND');
    await client.devices.delete(app, device.id);
    expect((await failure(client.devices.get(app, device.id))).code).toBe('PLATFORM_NOT_FOUND');

    logger.flush();
    const text = lines.join('');
    expect(text).toContain('platform call');
    expect(text).not.toContain(secret);
    expect(text).not.toContain(seed.apiToken);
    expect(text).not.toContain(authed.value.token);
    minted.release();
    authed.release();
  });

  it('reports why a device of a class that cannot connect is refused', async () => {
    const { client } = clientWith(seed.apiToken);
    const peripheral = seed.devices.find(
      (d) => d.deviceClass === 'peripheral' && d.applicationId === seed.applicationId,
    );
    if (!peripheral) throw new Error('seed has no peripheral device');
    const minted = await client.keys.create(seed.applicationId, { name: 'keyline-run-p', deviceIds: [peripheral.id] });
    const error = await failure(
      client.authenticateDevice({ deviceId: peripheral.id, key: minted.value.key, secret: minted.value.secret }),
    );
    expect(error.code).toBe('PLATFORM_UNAUTHORIZED');
    expect(error.message).toContain('Device not allowed to connect');
    expect(error.message).not.toContain(minted.value.secret);
  });

  it('refuses a wrong secret as PLATFORM_UNAUTHORIZED without retrying', async () => {
    const { client, exchanges } = clientWith(seed.apiToken);
    const device = seed.devices.find((d) => d.deviceClass === 'standalone' && d.applicationId === seed.applicationId);
    if (!device) throw new Error('seed has no standalone device');
    const minted = await client.keys.create(seed.applicationId, { name: 'keyline-run-w', deviceIds: [device.id] });
    const wrong = 'a'.repeat(64);
    const error = await failure(
      client.authenticateDevice({ deviceId: device.id, key: minted.value.key, secret: wrong }),
    );
    expect(error.code).toBe('PLATFORM_UNAUTHORIZED');
    expect(error.message).not.toContain(wrong);
    expect(exchanges.filter((e) => e.route === '/auth/device')).toHaveLength(1);
  });

  it('tells a missing scope apart from a bad token, whether the platform answers 401 or 403', async () => {
    const { client: admin } = clientWith(seed.apiToken);
    const readOnly = await admin
      .applicationApiTokens(seed.applicationId)
      .create({ name: 'read only', scope: ['all.Application.read'] });
    const { client } = clientWith(readOnly.value.token);
    const device = seed.devices.find((d) => d.deviceClass === 'standalone' && d.applicationId === seed.applicationId);
    if (!device) throw new Error('seed has no standalone device');

    const as401 = await failure(client.keys.create(seed.applicationId, { name: 'k', deviceIds: [device.id] }));
    expect([as401.code, as401.status]).toEqual(['PLATFORM_FORBIDDEN', 401]);
    expect(as401.message).toContain('This session may not create an access key');

    sim.updateSettings({ missingScopeStatus: 403 });
    try {
      const as403 = await failure(client.keys.create(seed.applicationId, { name: 'k', deviceIds: [device.id] }));
      expect([as403.code, as403.status]).toEqual(['PLATFORM_FORBIDDEN', 403]);
    } finally {
      sim.updateSettings({ missingScopeStatus: 401 });
    }

    const { client: bad } = clientWith(`${seed.apiToken.slice(0, -4)}AAAA`);
    const unauthorized = await failure(bad.devices.list(seed.applicationId));
    expect(unauthorized.code).toBe('PLATFORM_UNAUTHORIZED');
    expect(unauthorized.message).not.toContain(seed.apiToken.slice(0, 20));
    readOnly.release();
  });

  it('retries reads through injected 5xx faults and slow answers, but never a create', async () => {
    const { client, exchanges } = clientWith(seed.apiToken, { timeoutMs: 300 });
    const app = seed.applicationId;
    await fault({ method: 'GET', path: `/applications/${app}/devices`, status: 503, times: 2 });
    const page = await client.devices.list(app);
    expect(page.items.length).toBeGreaterThan(0);
    expect(exchanges.filter((e) => e.route === '/applications/{applicationId}/devices').map((e) => e.status)).toEqual([
      503, 503, 200,
    ]);

    await fault({ method: 'GET', path: '/me', latencyMs: 1_000, times: 1 });
    const { client: user, exchanges: userExchanges } = clientWith(userToken(), { timeoutMs: 300 });
    expect((await user.me()).email).toBe(seed.technician.email);
    expect(userExchanges.map((e) => e.code ?? e.status)).toEqual(['PLATFORM_UNAVAILABLE', 200]);

    exchanges.length = 0;
    await fault({ method: 'POST', path: `/applications/${app}/keys`, status: 500, times: 3 });
    const serverError = await failure(client.keys.create(app, { name: 'keyline-run-f1' }));
    expect([serverError.code, serverError.outcomeUnknown]).toEqual(['PLATFORM_UNAVAILABLE', true]);
    expect(exchanges).toHaveLength(1);
    await clearFaults();

    exchanges.length = 0;
    await fault({ method: 'POST', path: `/applications/${app}/devices`, drop: true, times: 3 });
    const dropped = await failure(client.devices.create(app, { name: 'dropped' }));
    expect([dropped.code, dropped.outcomeUnknown]).toEqual(['PLATFORM_UNAVAILABLE', true]);
    expect(exchanges).toHaveLength(1);
    await clearFaults();

    exchanges.length = 0;
    await fault({ method: 'POST', path: `/applications/${app}/keys`, latencyMs: 1_000, times: 1 });
    const slow = await failure(client.keys.create(app, { name: 'keyline-run-f2' }));
    expect([slow.code, slow.outcomeUnknown]).toEqual(['PLATFORM_UNAVAILABLE', true]);
    expect(exchanges).toHaveLength(1);

    exchanges.length = 0;
    await fault({ method: 'PATCH', path: `/applications/${app}/keys/*`, drop: true, times: 1 });
    const key = await client.keys.create(app, { name: 'keyline-run-f3' });
    expect((await client.keys.patch(app, key.value.applicationKeyId, { status: 'inactive' })).status).toBe('inactive');
    expect(exchanges.map((e) => e.method)).toEqual(['POST', 'PATCH', 'PATCH']);
  });

  it('does not retry a rate-limited state report', async () => {
    const { client } = clientWith(seed.apiToken);
    const app = seed.applicationId;
    const device = await client.devices.create(app, {
      name: 'rate-limited',
      attributes: [{ name: 'nonce', dataType: 'string' }],
    });
    const minted = await client.keys.create(app, { name: 'keyline-run-r', deviceIds: [device.id] });
    const authed = await client.authenticateDevice({
      deviceId: device.id,
      key: minted.value.key,
      secret: minted.value.secret,
    });
    const { client: asDevice, exchanges } = clientWith(authed.value.token);
    let limited: PlatformError | undefined;
    for (let i = 0; i < 40 && !limited; i++) {
      try {
        await asDevice.devices.sendState(app, device.id, { data: { nonce: `n-${i}` } });
      } catch (error) {
        limited = error as PlatformError;
      }
    }
    expect(limited?.code).toBe('PLATFORM_RATE_LIMITED');
    expect(exchanges.filter((e) => e.status === 429)).toHaveLength(1);
  });

  it('reads the user, organizations, applications and manages token collections', async () => {
    const { client } = clientWith(userToken());
    const me = await client.me();
    expect(me.email).toBe(seed.technician.email);
    const orgs = await client.orgs();
    expect(orgs.items.map((org) => org.id)).toContain(seed.orgId);
    const apps = await client.applications(seed.orgId);
    expect(apps.items.map((app) => app.id)).toContain(seed.applicationId);

    const minted = await client.userApiTokens.create({ name: 'bench', scope: ['all.Application.read'] });
    expect(minted.value.token.length).toBeGreaterThan(10);
    const listed = await client.userApiTokens.list();
    expect(listed.items.map((token) => token.apiTokenId)).toContain(minted.value.apiTokenId);
    expect(JSON.stringify(listed)).not.toContain(minted.value.token);
    expect((await client.userApiTokens.patch(minted.value.apiTokenId, { status: 'inactive' })).status).toBe('inactive');
    await client.userApiTokens.delete(minted.value.apiTokenId);
    expect((await failure(client.userApiTokens.get(minted.value.apiTokenId))).code).toBe('PLATFORM_NOT_FOUND');
    expect((await client.oauthTokens.list()).items).toBeInstanceOf(Array);

    const { client: admin } = clientWith(seed.apiToken);
    const appTokens = admin.applicationApiTokens(seed.applicationId);
    const all = [];
    for await (const token of appTokens.all({ perPage: 1 })) all.push(token.apiTokenId);
    expect(all).toContain(seed.apiTokenId);
    expect((await appTokens.get(seed.apiTokenId)).scope).toEqual(['all.Application']);
  });
});
