import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningPlatformSimulator } from '../../../simulators/platform';
import { api, call, deviceOfClass, startSimulator, type Json } from './helpers';

let sim: RunningPlatformSimulator;
let rest: ReturnType<typeof api>;
let app: string;
beforeAll(async () => {
  sim = await startSimulator();
  rest = api(sim, sim.seed.apiToken);
  app = `/applications/${sim.seed.applicationId}`;
});
afterAll(() => sim.close());
beforeEach(async () => {
  await sim.reset();
});

const adminToken = () => sim.seed.apiTokens.find((token) => token.name === "Dana's automation token")?.token;

describe('wire conventions', () => {
  it('answers unknown routes with 404 and wrong methods with 405, both as {type, message}', async () => {
    const missing = await rest.get('/nothing/here');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ type: 'NotFound', message: expect.any(String) });
    const method = await call(sim.url, 'PUT', `${app}/devices`, { token: sim.seed.apiToken, body: {} });
    expect(method.status).toBe(405);
    expect(method.body.type).toBe('MethodNotAllowed');
    expect(method.headers.get('allow')).toBe('GET, POST');
  });

  it('refuses calls without a token, with a malformed one, or one signed by someone else', async () => {
    const none = await api(sim).get(`${app}/devices`);
    expect(none).toMatchObject({
      status: 401,
      body: { type: 'Unauthorized', message: 'Authorization header is required' },
    });
    expect((await api(sim, 'garbage').get(`${app}/devices`)).body.message).toBe('Token is not valid');
    const other = await startSimulator();
    try {
      const foreign = await api(sim, other.seed.apiToken).get(`${app}/devices`);
      expect(foreign).toMatchObject({ status: 401, body: { message: 'Token is not valid' } });
    } finally {
      await other.close();
    }
  });

  it('refuses malformed JSON and unknown fields with 400 Validation', async () => {
    const malformed = await call(sim.url, 'POST', `${app}/devices`, { token: sim.seed.apiToken, raw: '{"name":' });
    expect(malformed).toMatchObject({ status: 400, body: { type: 'Validation' } });
    const unknown = await rest.post(`${app}/devices`, { name: 'x', color: 'red' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.validationErrors).toEqual([
      { type: 'Validation', name: 'color', id: 'color', message: 'color is not allowed' },
    ]);
  });
});

describe('who am I, organizations, applications', () => {
  it('GET /me answers the user of a user token and refuses application tokens', async () => {
    const me = await api(sim, adminToken()).get('/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      id: sim.seed.admin?.id,
      userId: sim.seed.admin?.id,
      email: sim.seed.admin?.email,
      firstName: 'Dana',
      lastName: 'Okafor',
      fullName: 'Dana Okafor',
    });
    expect((await rest.get('/me')).status).toBe(401);
  });

  it('GET /orgs lists the user organizations with members and roles', async () => {
    const orgs = await api(sim, adminToken()).get('/orgs');
    expect(orgs.status).toBe(200);
    expect(orgs.body).toMatchObject({ count: 2, totalCount: 2, page: 0, perPage: 100 });
    const factory = orgs.body.items.find((org: Json) => org.id === sim.seed.orgId);
    expect(factory).toMatchObject({ orgId: sim.seed.orgId, name: 'Brightwater Instruments' });
    expect(factory.members).toContainEqual({
      userId: sim.seed.technician.id,
      email: sim.seed.technician.email,
      role: 'collaborate',
    });
    expect((await api(sim, adminToken()).get(`/orgs/${sim.seed.orgId}`)).body.name).toBe('Brightwater Instruments');
    expect((await api(sim, adminToken()).get(`/orgs/${'0'.repeat(24)}`)).status).toBe(404);
  });

  it('GET /applications?orgId= lists the organization applications', async () => {
    const apps = await api(sim, adminToken()).get(`/applications?orgId=${sim.seed.orgId}`);
    expect(apps.body.items).toEqual([
      expect.objectContaining({
        id: sim.seed.applicationId,
        applicationId: sim.seed.applicationId,
        ownerId: sim.seed.orgId,
        ownerType: 'organization',
        name: 'Cold Chain Sensors',
      }),
    ]);
    expect((await api(sim, adminToken()).get('/applications')).body.totalCount).toBe(2);
    // An application token sees its own application only.
    expect((await rest.get('/applications')).body.items.map((item: Json) => item.name)).toEqual(['Cold Chain Sensors']);
    expect((await rest.get(app)).body.name).toBe('Cold Chain Sensors');
    expect((await rest.get('/applications?orgId=nothex')).status).toBe(400);
  });
});

describe('devices', () => {
  it('creates a device (201) with defaults and reads it back', async () => {
    const created = await rest.post(`${app}/devices`, {
      name: 'CCS-2001 reefer probe',
      description: 'bench 3',
      tags: [{ key: 'hwid', value: 'CCS2001-0001' }],
      attributes: [
        { name: 'temperature', dataType: 'number' },
        { name: 'nonce', dataType: 'string' },
      ],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      deviceId: created.body.id,
      applicationId: sim.seed.applicationId,
      name: 'CCS-2001 reefer probe',
      deviceClass: 'standalone',
      tags: [{ key: 'hwid', value: 'CCS2001-0001' }],
      connectionInfo: { connected: 0 },
    });
    // The official schema types `connectionInfo.time` as a date-time: a device never seen has none.
    expect(created.body.connectionInfo).not.toHaveProperty('time');
    expect(created.body.id).toMatch(/^[a-f\d]{24}$/);
    expect(Date.parse(created.body.creationDate)).not.toBeNaN();
    const read = await rest.get(`${app}/devices/${created.body.id}`);
    expect(read.body).toEqual(created.body);
  });

  it('validates device bodies', async () => {
    for (const body of [
      {},
      { name: '' },
      { name: 'x', deviceClass: 'virtual' },
      { name: 'x', tags: [{ key: 'has space', value: 'v' }] },
      {
        name: 'x',
        attributes: [
          { name: 'a', dataType: 'number' },
          { name: 'a', dataType: 'string' },
        ],
      },
      { name: 'x', attributes: [{ name: 'a', dataType: 'float' }] },
    ]) {
      const answer = await rest.post(`${app}/devices`, body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.type).toBe('Validation');
    }
  });

  it('answers 404 for unknown devices and applications', async () => {
    expect((await rest.get(`${app}/devices/${'a'.repeat(24)}`)).body).toEqual({
      type: 'NotFound',
      message: 'Device was not found',
    });
    expect((await rest.get(`/applications/${'b'.repeat(24)}/devices`)).body).toEqual({
      type: 'NotFound',
      message: 'Application was not found',
    });
    const returned = sim.seed.devices.find((device) => device.applicationId !== sim.seed.applicationId);
    expect((await rest.get(`${app}/devices/${returned?.id}`)).status).toBe(404);
  });

  it('patches name, tags, attributes and class', async () => {
    const device = deviceOfClass(sim.seed, 'gateway');
    const patched = await rest.patch(`${app}/devices/${device.id}`, {
      name: 'Line 3 gateway (spare)',
      tags: [{ key: 'line', value: '4' }],
      attributes: [{ name: 'uptime', dataType: 'number' }],
      deviceClass: 'standalone',
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      name: 'Line 3 gateway (spare)',
      tags: [{ key: 'line', value: '4' }],
      attributes: [{ name: 'uptime', dataType: 'number' }],
      deviceClass: 'standalone',
    });
    expect((await rest.patch(`${app}/devices/${device.id}`, { applicationId: 'x' })).status).toBe(400);
    expect((await rest.patch(`${app}/devices/${'c'.repeat(24)}`, { name: 'x' })).status).toBe(404);
  });

  it('deletes a device', async () => {
    const device = deviceOfClass(sim.seed, 'system');
    expect((await rest.delete(`${app}/devices/${device.id}`)).body).toEqual({ success: true });
    expect((await rest.get(`${app}/devices/${device.id}`)).status).toBe(404);
    expect((await rest.delete(`${app}/devices/${device.id}`)).status).toBe(404);
  });

  it('lists with paging, glob filter, sorting, class, tag filter and query', async () => {
    const all = await rest.get(`${app}/devices`);
    expect(all.body).toMatchObject({ count: 8, totalCount: 8, perPage: 100, page: 0, sortField: 'name' });
    const names = all.body.items.map((item: Json) => item.name);
    expect(names).toEqual([...names].sort((a: string, b: string) => a.localeCompare(b)));

    const paged = await rest.get(`${app}/devices?perPage=3&page=2`);
    expect(paged.body).toMatchObject({ count: 2, totalCount: 8, perPage: 3, page: 2 });
    expect(paged.body.items.map((item: Json) => item.name)).toEqual(names.slice(6));

    const glob = await rest.get(`${app}/devices?filterField=name&filter=ccs-*probe`);
    expect(glob.body.items.map((item: Json) => item.name).sort()).toEqual([
      'CCS-1001 reefer probe',
      'CCS-1002 reefer probe',
      'CCS-E200 embedded probe',
    ]);

    const desc = await rest.get(`${app}/devices?sortField=name&sortDirection=desc&perPage=1`);
    expect(desc.body.items[0].name).toBe(names.at(-1));

    const byClass = await rest.get(`${app}/devices?deviceClass=peripheral`);
    expect(byClass.body.items.map((item: Json) => item.deviceClass)).toEqual(['peripheral']);

    const byTag = await rest.get(`${app}/devices?tagFilter[0][key]=hwid&tagFilter[0][value]=CCS1002-9B17`);
    expect(byTag.body.items.map((item: Json) => item.name)).toEqual(['CCS-1002 reefer probe']);
    const byTwoTags = await rest.get(
      `${app}/devices?tagFilter[0][key]=line&tagFilter[0][value]=3&tagFilter[1][key]=model`,
    );
    expect(byTwoTags.body.totalCount).toBe(2);
    const byTagKey = await rest.get(`${app}/devices?tagFilter[0][key]=line`);
    expect(byTagKey.body.totalCount).toBe(3);

    const query = encodeURIComponent(
      JSON.stringify({ $or: [{ deviceClass: 'gateway' }, { name: { $startsWith: 'dock', $ci: true } }] }),
    );
    const advanced = await rest.get(`${app}/devices?query=${query}`);
    expect(advanced.body.items.map((item: Json) => item.name).sort()).toEqual([
      'Dock 4 edge controller',
      'Line 3 bench gateway',
    ]);

    for (const bad of [
      'perPage=0',
      'perPage=1001',
      'page=-1',
      'sortField=color',
      'sortDirection=up',
      'deviceClass=virtual',
      'query=%7B',
      'filterField=tags',
    ]) {
      expect((await rest.get(`${app}/devices?${bad}`)).status, bad).toBe(400);
    }
  });
});

describe('state, composite state, connection log', () => {
  it('stores reports, drops undefined attributes, keeps the newest value per attribute', async () => {
    const device = sim.seed.devices[0]!;
    const path = `${app}/devices/${device.id}`;
    expect(
      (await rest.post(`${path}/state`, { data: { temperature: 4.5, humidity: 61, unknownThing: 1 } })).body,
    ).toEqual({
      success: true,
    });
    const reports = [
      { data: { temperature: 3.9 }, time: '2030-01-01T00:00:10.000Z' },
      { data: { temperature: 9.9, doorOpen: true }, time: '2030-01-01T00:00:05.000Z' },
      { data: { firmware: '1.4.2' }, time: Date.parse('2030-01-01T00:00:07.000Z') },
      { data: { nonce: 'n-123' }, time: { $date: '2030-01-01T00:00:08.000Z' } },
    ];
    expect((await rest.post(`${path}/state`, reports)).status).toBe(200);
    const composite = await rest.get(`${path}/compositeState`);
    expect(composite.body).toEqual({
      temperature: { value: 3.9, time: '2030-01-01T00:00:10.000Z' },
      humidity: { value: 61, time: expect.any(String) },
      doorOpen: { value: true, time: '2030-01-01T00:00:05.000Z' },
      firmware: { value: '1.4.2', time: '2030-01-01T00:00:07.000Z' },
      nonce: { value: 'n-123', time: '2030-01-01T00:00:08.000Z' },
    });
    expect(composite.body.unknownThing).toBeUndefined();
  });

  it('validates state bodies', async () => {
    const path = `${app}/devices/${sim.seed.devices[0]!.id}/state`;
    for (const body of [
      {},
      { data: 1 },
      { data: { a: { nested: 1 } } },
      { data: {}, extra: 1 },
      [],
      { data: {}, time: 'yesterday' },
    ]) {
      expect((await rest.post(path, body)).status, JSON.stringify(body)).toBe(400);
    }
  });

  it('answers the connection log newest first', async () => {
    const device = sim.seed.devices[0]!;
    const key = sim.seed.accessKeys.find((entry) => entry.deviceIds.includes(device.id) && entry.status === 'active')!;
    await call(sim.url, 'POST', '/auth/device', { body: { deviceId: device.id, key: key.key, secret: 'wrong' } });
    await call(sim.url, 'POST', '/auth/device', { body: { deviceId: device.id, key: key.key, secret: key.secret } });
    const log = await rest.get(`${app}/devices/${device.id}/logs`);
    expect(log.body).toEqual([
      { connected: 1, time: expect.any(String), method: 'REST /auth/device', ipAddress: '127.0.0.1' },
      {
        connected: 0,
        time: expect.any(String),
        method: 'REST /auth/device',
        disconnectReason: 'Access secret does not match the access key',
        ipAddress: '127.0.0.1',
      },
    ]);
  });
});

describe('access keys', () => {
  it('shows the secret in the create answer only', async () => {
    const device = sim.seed.devices[0]!;
    const created = await rest.post(`${app}/keys`, { name: 'run 42', description: 'bench', deviceIds: [device.id] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      applicationKeyId: created.body.id,
      applicationId: sim.seed.applicationId,
      status: 'active',
      name: 'run 42',
      deviceIds: [device.id],
      deviceTags: [],
      createdById: sim.seed.apiTokenId,
      createdByType: 'apiToken',
    });
    expect(created.body.secret).toMatch(/^[a-f\d]{64}$/);
    expect(created.body.key).toMatch(/^[a-f\d-]{36}$/);

    const read = await rest.get(`${app}/keys/${created.body.id}`);
    expect(read.body.secret).toBeUndefined();
    const { secret: _secret, ...withoutSecret } = created.body;
    expect(read.body).toEqual(withoutSecret);
    const listed = await rest.get(`${app}/keys?perPage=1000`);
    expect(JSON.stringify(listed.body)).not.toContain(created.body.secret);
    expect(JSON.stringify(sim.events())).not.toContain(created.body.secret);
    const secondRead = await rest.get(`${app}/keys/${created.body.id}`);
    expect(JSON.stringify(secondRead.body)).not.toContain(created.body.secret);
  });

  it('secrets are different and long', async () => {
    const secrets = new Set<string>();
    for (let i = 0; i < 5; i++) secrets.add((await rest.post(`${app}/keys`, {})).body.secret);
    expect(secrets.size).toBe(5);
  });

  it('lists keys without secrets, filtered by name, and never the deleted ones', async () => {
    const listed = await rest.get(`${app}/keys`);
    expect(listed.body.totalCount).toBe(4);
    for (const item of listed.body.items) expect(item.secret).toBeUndefined();
    const filtered = await rest.get(`${app}/keys?filterField=name&filter=*inactive*`);
    expect(filtered.body.items.map((item: Json) => item.status)).toEqual(['inactive']);
    const byStatus = await rest.get(`${app}/keys?filterField=status&filter=active`);
    expect(byStatus.body.totalCount).toBe(3);
    expect((await rest.get(`${app}/keys?filterField=secret&filter=x`)).status).toBe(400);
  });

  it('patches status, name, description but not deviceIds', async () => {
    const created = await rest.post(`${app}/keys`, { deviceIds: [sim.seed.devices[0]!.id] });
    const path = `${app}/keys/${created.body.id}`;
    const patched = await rest.patch(path, { status: 'inactive', name: 'retired', description: 'done' });
    expect(patched.body).toMatchObject({ status: 'inactive', name: 'retired', description: 'done' });
    const refused = await rest.patch(path, { deviceIds: [] });
    expect(refused.status).toBe(400);
    expect(refused.body.validationErrors[0].name).toBe('deviceIds');
    expect((await rest.patch(path, { status: 'revoked' })).status).toBe(400);
  });

  it('deletes a key', async () => {
    const created = await rest.post(`${app}/keys`, {});
    expect((await rest.delete(`${app}/keys/${created.body.id}`)).body).toEqual({ success: true });
    expect((await rest.get(`${app}/keys/${created.body.id}`)).status).toBe(404);
    expect((await rest.delete(`${app}/keys/${created.body.id}`)).status).toBe(404);
  });

  it('refuses device ids that are not devices of the application', async () => {
    const other = sim.seed.devices.find((device) => device.applicationId !== sim.seed.applicationId)!;
    const refused = await rest.post(`${app}/keys`, { deviceIds: [other.id] });
    expect(refused.status).toBe(400);
    expect(refused.body.validationErrors[0].name).toBe('deviceIds.0');
    expect((await rest.post(`${app}/keys`, { deviceIds: ['nothex'] })).status).toBe(400);
    expect((await rest.post(`${app}/keys`, { status: 'active' })).status).toBe(400);
  });
});

describe('application API tokens', () => {
  const path = () => `${app}/tokens`;

  it('creates a token whose string appears once, then lists, reads, patches and deletes it', async () => {
    const created = await rest.post(path(), {
      name: 'Line 5 dashboard',
      description: 'read only',
      scope: ['all.Application.read'],
      expirationDate: '2099-01-01T00:00:00.000Z',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      apiTokenId: created.body.id,
      ownerId: sim.seed.applicationId,
      ownerType: 'application',
      creatorId: sim.seed.apiTokenId,
      creatorType: 'apiToken',
      creatorName: 'Sandbox all-permissions token',
      name: 'Line 5 dashboard',
      scope: ['all.Application.read'],
      status: 'active',
      expirationDate: '2099-01-01T00:00:00.000Z',
    });
    const token = created.body.token as string;
    const [, payload] = token.split('.');
    expect(JSON.parse(Buffer.from(payload!, 'base64url').toString())).toMatchObject({
      sub: created.body.id,
      subtype: 'apiToken',
      scope: ['all.Application.read'],
      appId: sim.seed.applicationId,
      exp: Date.parse('2099-01-01T00:00:00.000Z') / 1000,
    });

    const listed = await rest.get(path());
    expect(listed.body.items.map((item: Json) => item.name)).toContain('Line 5 dashboard');
    expect(JSON.stringify(listed.body)).not.toContain(token);
    expect((await rest.get(`${path()}/${created.body.id}`)).body.token).toBeUndefined();

    const reader = api(sim, token);
    expect((await reader.get(`${app}/devices`)).status).toBe(200);
    expect((await reader.post(`${app}/devices`, { name: 'x' })).status).toBe(401);

    expect((await rest.patch(`${path()}/${created.body.id}`, { status: 'inactive' })).body.status).toBe('inactive');
    expect((await reader.get(`${app}/devices`)).body.message).toBe('Token is inactive');
    expect((await rest.patch(`${path()}/${created.body.id}`, { scope: ['all.Application'] })).status).toBe(400);
    expect((await rest.patch(`${path()}/${created.body.id}`, { expirationDate: '2100-01-01T00:00:00Z' })).status).toBe(
      400,
    );
    expect((await rest.delete(`${path()}/${created.body.id}`)).body).toEqual({ success: true });
    expect((await reader.get(`${app}/devices`)).body.message).toBe('Token has been deleted');
    expect((await rest.get(`${path()}/${created.body.id}`)).status).toBe(404);
  });

  it('validates token bodies', async () => {
    for (const body of [
      {},
      { name: 'x', scope: ['all.User'] },
      { name: 'x', scope: ['not a scope'] },
      { name: 'x', scope: [] },
      { name: 'x', expirationDate: '2001-01-01T00:00:00Z' },
      { name: 'x', expirationDate: 'soon' },
      { name: 'x', status: 'paused' },
      { name: 'x', defaultRole: 'view' },
    ]) {
      expect((await rest.post(path(), body)).status, JSON.stringify(body)).toBe(400);
    }
  });

  it('refuses the seeded expired token', async () => {
    const expired = sim.seed.apiTokens.find((token) => token.id === sim.seed.expiredApiTokenId)!;
    const answer = await api(sim, expired.token).get(`${app}/devices`);
    expect(answer).toMatchObject({ status: 401, body: { type: 'Unauthorized', message: 'Token has expired' } });
    expect((await rest.get(`${path()}/${expired.id}`)).body.expirationDate < new Date().toISOString()).toBe(true);
  });
});

describe('user API tokens', () => {
  it('creates, lists, reads, patches and deletes /me/tokens', async () => {
    const me = api(sim, adminToken());
    const created = await me.post('/me/tokens', {
      name: 'Read-only helper',
      scope: ['all.User.read'],
      defaultRole: 'view',
      orgRoles: [{ orgId: sim.seed.orgId, role: 'none' }],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      ownerId: sim.seed.admin?.id,
      ownerType: 'user',
      creatorType: 'user',
      creatorName: 'Dana Okafor',
      defaultRole: 'view',
      orgRoles: [{ orgId: sim.seed.orgId, role: 'none' }],
    });
    const helper = api(sim, created.body.token);
    expect((await helper.get('/me')).body.email).toBe(sim.seed.admin?.email);
    // Overridden to none in the factory organization: the application is out of sight.
    expect((await helper.get(`${app}/devices`)).status).toBe(404);
    expect((await helper.get('/applications')).body.items.map((item: Json) => item.name)).toEqual(['Field Returns']);

    expect((await me.get('/me/tokens')).body.items.map((item: Json) => item.name)).toContain('Read-only helper');
    expect((await me.get(`/me/tokens/${created.body.id}`)).body.token).toBeUndefined();
    expect((await me.patch(`/me/tokens/${created.body.id}`, { name: 'renamed' })).body.name).toBe('renamed');
    expect((await me.patch(`/me/tokens/${created.body.id}`, { defaultRole: 'admin' })).status).toBe(400);
    expect((await me.delete(`/me/tokens/${created.body.id}`)).body).toEqual({ success: true });
    expect((await helper.get('/me')).status).toBe(401);
    // Another user's token is not found.
    const technician = sim.seed.apiTokens.find((token) => token.name === "Sam's bench CLI")!;
    expect((await me.get(`/me/tokens/${technician.id}`)).status).toBe(404);
  });

  it('a read scope cannot create tokens', async () => {
    const me = api(sim, adminToken());
    const reader = (await me.post('/me/tokens', { name: 'reader', scope: ['all.User.read'] })).body.token;
    expect((await api(sim, reader).post('/me/tokens', { name: 'x' })).status).toBe(401);
    expect((await api(sim, reader).get('/me/tokens')).status).toBe(200);
  });
});
