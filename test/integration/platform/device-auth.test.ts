import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningPlatformSimulator, SeedAccessKey } from '../../../simulators/platform';
import { api, authDevice, decodeJwt, deviceOfClass, startSimulator } from './helpers';

let sim: RunningPlatformSimulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim.close());
beforeEach(async () => {
  await sim.reset();
});

const keyNamed = (fragment: string): SeedAccessKey => {
  const key = sim.seed.accessKeys.find((entry) => entry.name?.includes(fragment));
  if (!key) throw new Error(`no seeded key "${fragment}"`);
  return key;
};
const probe = (n: 1 | 2) => sim.seed.devices.find((device) => device.name.startsWith(`CCS-100${n}`))!;
const logOf = async (deviceId: string) =>
  (await api(sim, sim.seed.apiToken).get(`/applications/${sim.seed.applicationId}/devices/${deviceId}/logs`)).body;

describe('POST /auth/device', () => {
  it('gives a device token without expiry for a good key and secret', async () => {
    const key = keyNamed('CCS-1001');
    const answer = await authDevice(sim, { deviceId: probe(1).id, key: key.key, secret: key.secret });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      applicationId: sim.seed.applicationId,
      deviceId: probe(1).id,
      deviceClass: 'standalone',
      ownerType: 'organization',
    });
    const { header, payload } = decodeJwt(answer.body.token);
    expect(header).toMatchObject({ alg: 'ES256', typ: 'JWT' });
    expect(typeof header.kid).toBe('string');
    expect(payload).toMatchObject({
      iss: sim.url,
      sub: probe(1).id,
      subtype: 'device',
      scope: ['all.Device'],
      appId: sim.seed.applicationId,
      keyId: key.id,
    });
    expect(payload.exp).toBeUndefined();
    const event = sim
      .events()
      .filter((entry) => entry.type === 'auth.device')
      .at(-1);
    expect(event).toMatchObject({ result: 'allowed', deviceId: probe(1).id, applicationKeyId: key.id });
  });

  it('sets an expiry when tokenTTL asks for one', async () => {
    const key = keyNamed('CCS-1001');
    const answer = await authDevice(sim, { deviceId: probe(1).id, key: key.key, secret: key.secret, tokenTTL: 60 });
    const { payload } = decodeJwt(answer.body.token);
    expect(payload.exp - payload.iat).toBe(60);
    const path = `/applications/${sim.seed.applicationId}/devices/${probe(1).id}/compositeState`;
    expect((await api(sim, answer.body.token).get(path)).status).toBe(200);
    sim.advanceClock(61);
    expect((await api(sim, answer.body.token).get(path)).body.message).toBe('Token has expired');
  });

  const refusals: [string, () => Record<string, unknown>, string][] = [
    ['unknown key', () => ({ deviceId: probe(1).id, key: 'no-such-key', secret: 'x' }), 'Access key was not found'],
    [
      'wrong secret',
      () => ({ deviceId: probe(1).id, key: keyNamed('CCS-1001').key, secret: '0'.repeat(64) }),
      'Access secret does not match the access key',
    ],
    [
      'inactive key',
      () => ({ deviceId: probe(2).id, key: keyNamed('inactive').key, secret: keyNamed('inactive').secret }),
      'Access key is inactive',
    ],
    [
      'deleted key',
      () => ({ deviceId: probe(2).id, key: keyNamed('deleted').key, secret: keyNamed('deleted').secret }),
      'Access key has been deleted',
    ],
    [
      'key restricted to another device',
      () => ({ deviceId: probe(2).id, key: keyNamed('CCS-1001').key, secret: keyNamed('CCS-1001').secret }),
      'Access key does not allow this device',
    ],
    [
      'peripheral device',
      () => ({
        deviceId: deviceOfClass(sim.seed, 'peripheral').id,
        key: keyNamed('every').key,
        secret: keyNamed('every').secret,
      }),
      'Device not allowed to connect',
    ],
    [
      'floating device',
      () => ({
        deviceId: deviceOfClass(sim.seed, 'floating').id,
        key: keyNamed('every').key,
        secret: keyNamed('every').secret,
      }),
      'Device not allowed to connect',
    ],
    [
      'missing secret',
      () => ({ deviceId: probe(1).id, key: keyNamed('CCS-1001').key }),
      'An access key and secret are required',
    ],
  ];

  for (const [what, body, message] of refusals) {
    it(`refuses a ${what} with 401 "${message}", in the connection log and the events`, async () => {
      const request = body();
      const answer = await authDevice(sim, request);
      expect(answer.status).toBe(401);
      expect(answer.body).toEqual({ type: 'Unauthorized', message });
      const log = await logOf(request.deviceId as string);
      expect(log[0]).toMatchObject({ connected: 0, disconnectReason: message });
      const event = sim
        .events()
        .filter((entry) => entry.type === 'auth.device')
        .at(-1);
      expect(event).toMatchObject({ result: 'refused', reason: message, deviceId: request.deviceId });
    });
  }

  it('refuses a device of another application with "Device was not found"', async () => {
    const key = keyNamed('every');
    const other = sim.seed.devices.find((device) => device.applicationId !== sim.seed.applicationId)!;
    const answer = await authDevice(sim, { deviceId: other.id, key: key.key, secret: key.secret });
    expect(answer.body).toEqual({ type: 'Unauthorized', message: 'Device was not found' });
    const unknown = await authDevice(sim, { deviceId: 'f'.repeat(24), key: key.key, secret: key.secret });
    expect(unknown.body.message).toBe('Device was not found');
  });

  it('validates the body', async () => {
    expect((await authDevice(sim, { key: 'k', secret: 's' })).status).toBe(400);
    expect((await authDevice(sim, { deviceId: 'short', key: 'k', secret: 's' })).status).toBe(400);
    expect((await authDevice(sim, { deviceId: probe(1).id, key: 'k', secret: 's', extra: 1 })).status).toBe(400);
    expect((await authDevice(sim, { deviceId: probe(1).id, key: 'k', secret: 's', tokenTTL: -1 })).status).toBe(400);
  });
});

describe('device classes and key restrictions', () => {
  it('lets standalone, gateway and edgeCompute devices connect with an unrestricted key', async () => {
    const key = keyNamed('every');
    for (const deviceClass of ['standalone', 'gateway', 'edgeCompute']) {
      const answer = await authDevice(sim, {
        deviceId: deviceOfClass(sim.seed, deviceClass).id,
        key: key.key,
        secret: key.secret,
      });
      expect(answer.status, deviceClass).toBe(200);
      expect(answer.body.deviceClass).toBe(deviceClass);
    }
  });

  it('refuses system and embedded devices by default, configurably', async () => {
    const key = keyNamed('every');
    for (const deviceClass of ['system', 'embedded']) {
      const request = { deviceId: deviceOfClass(sim.seed, deviceClass).id, key: key.key, secret: key.secret };
      expect((await authDevice(sim, request)).body.message).toBe('Device not allowed to connect');
    }
    sim.updateSettings({ connectableDeviceClasses: ['standalone', 'gateway', 'edgeCompute', 'embedded'] });
    try {
      const request = { deviceId: deviceOfClass(sim.seed, 'embedded').id, key: key.key, secret: key.secret };
      expect((await authDevice(sim, request)).status).toBe(200);
    } finally {
      sim.updateSettings({ connectableDeviceClasses: ['standalone', 'gateway', 'edgeCompute'] });
    }
  });

  it('a tag-restricted key allows devices carrying the tag only', async () => {
    const key = keyNamed('by tag');
    expect((await authDevice(sim, { deviceId: probe(2).id, key: key.key, secret: key.secret })).status).toBe(200);
    const gateway = deviceOfClass(sim.seed, 'gateway');
    expect((await authDevice(sim, { deviceId: gateway.id, key: key.key, secret: key.secret })).status).toBe(200);
    const edge = deviceOfClass(sim.seed, 'edgeCompute');
    expect((await authDevice(sim, { deviceId: edge.id, key: key.key, secret: key.secret })).body.message).toBe(
      'Access key does not allow this device',
    );
  });

  it('a key minted for one device works for it only; deactivating it cuts the device token too', async () => {
    const rest = api(sim, sim.seed.apiToken);
    const app = `/applications/${sim.seed.applicationId}`;
    const created = (await rest.post(`${app}/keys`, { name: 'run 7', deviceIds: [probe(2).id] })).body;
    const auth = await authDevice(sim, { deviceId: probe(2).id, key: created.key, secret: created.secret });
    expect(auth.status).toBe(200);
    expect((await authDevice(sim, { deviceId: probe(1).id, key: created.key, secret: created.secret })).status).toBe(
      401,
    );

    const device = api(sim, auth.body.token);
    const state = `${app}/devices/${probe(2).id}/state`;
    expect((await device.post(state, { data: { nonce: 'abc' } })).status).toBe(200);
    await rest.patch(`${app}/keys/${created.id}`, { status: 'inactive' });
    expect((await device.post(state, { data: { nonce: 'abc' } })).body.message).toBe('Access key is inactive');
    expect(
      (await authDevice(sim, { deviceId: probe(2).id, key: created.key, secret: created.secret })).body.message,
    ).toBe('Access key is inactive');
    await rest.delete(`${app}/keys/${created.id}`);
    expect((await device.post(state, { data: { nonce: 'abc' } })).body.message).toBe('Access key has been deleted');

    sim.updateSettings({ deviceTokensFollowKeyStatus: false });
    try {
      expect((await device.post(state, { data: { nonce: 'abc' } })).status).toBe(200);
    } finally {
      sim.updateSettings({ deviceTokensFollowKeyStatus: true });
    }
  });

  it('a device token reaches its own device only, within its scope', async () => {
    const key = keyNamed('every');
    const token = (await authDevice(sim, { deviceId: probe(1).id, key: key.key, secret: key.secret })).body.token;
    const device = api(sim, token);
    const app = `/applications/${sim.seed.applicationId}`;
    expect((await device.post(`${app}/devices/${probe(1).id}/state`, { data: { temperature: 2 } })).status).toBe(200);
    expect((await device.get(`${app}/devices/${probe(1).id}/compositeState`)).body.temperature.value).toBe(2);
    expect((await device.get(`${app}/devices/${probe(1).id}`)).status).toBe(200);
    expect((await device.post(`${app}/devices/${probe(2).id}/state`, { data: { temperature: 2 } })).status).toBe(401);
    expect((await device.get(`${app}/devices`)).status).toBe(401);
    expect((await device.post(`${app}/keys`, {})).status).toBe(401);

    const narrow = (
      await authDevice(sim, {
        deviceId: probe(1).id,
        key: key.key,
        secret: key.secret,
        requestedScopes: ['device.sendState'],
      })
    ).body.token;
    expect(decodeJwt(narrow).payload.scope).toEqual(['device.sendState']);
    expect(
      (await api(sim, narrow).post(`${app}/devices/${probe(1).id}/state`, { data: { temperature: 3 } })).status,
    ).toBe(200);
    expect((await api(sim, narrow).get(`${app}/devices/${probe(1).id}/compositeState`)).status).toBe(401);
  });
});
