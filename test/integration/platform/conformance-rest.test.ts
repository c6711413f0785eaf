import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startPlatformSimulator, type RunningPlatformSimulator } from '../../../simulators/platform';

/**
 * Conformance of the simulator's REST API with platform-api.md, checked the way the official
 * client (`losant-rest-js`) talks: every request is built here from the published shape only —
 * `Accept: application/json`, `Accept-Version`, `Authorization: Bearer`, the
 * `_actions=false&_links=true&_embedded=true` params, and query strings serialized like its `qs`
 * (`deviceClass[0]=...`, `tagFilter[0][key]=...`, brackets percent-encoded). Nothing here goes
 * through main/platform or the other platform test helpers. Answers are checked against the
 * documented bodies: ids of 24 hex characters, ISO dates, list envelopes, `{type, message}` errors.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are checked field by field
type Json = any;

const ID = /^[A-Fa-f\d]{24}$/;
const isoDate = (value: unknown) => typeof value === 'string' && !Number.isNaN(Date.parse(value));

/** `qs.stringify` with its defaults (indices, RFC 3986 encoding of keys and values). */
function qsStringify(params: Record<string, unknown>): string {
  const parts: string[] = [];
  const add = (key: string, value: unknown) => {
    if (value === undefined) return;
    if (Array.isArray(value)) value.forEach((entry, index) => add(`${key}[${index}]`, entry));
    else if (value !== null && typeof value === 'object') {
      for (const [name, entry] of Object.entries(value)) add(`${key}[${name}]`, entry);
    } else parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
  };
  for (const [key, value] of Object.entries(params)) add(key, value);
  return parts.join('&');
}

interface Answer {
  status: number;
  body: Json;
  headers: Headers;
}

let sim: RunningPlatformSimulator;

/** One call as losant-rest-js makes it. */
async function wire(
  method: string,
  path: string,
  options: { token?: string; query?: Record<string, unknown>; body?: unknown } = {},
): Promise<Answer> {
  const query = qsStringify({ _actions: false, _links: true, _embedded: true, ...options.query });
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Version': '^1.30.0' };
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(`${sim.url}${path}?${query}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
}

function expectError(answer: Answer, status: number, type: string) {
  expect(answer.status).toBe(status);
  expect(answer.body).toMatchObject({ type, message: expect.any(String) });
  expect(answer.body.message.length).toBeGreaterThan(0);
}

function expectEnvelope(body: Json) {
  expect(Array.isArray(body.items)).toBe(true);
  for (const field of ['count', 'totalCount', 'perPage', 'page']) expect(Number.isInteger(body[field])).toBe(true);
  expect(body.count).toBe(body.items.length);
}

function expectDevice(device: Json) {
  expect(device.id).toMatch(ID);
  expect(device.deviceId).toBe(device.id);
  expect(device.applicationId).toMatch(ID);
  expect(typeof device.name).toBe('string');
  expect(typeof device.deviceClass).toBe('string');
  expect(Array.isArray(device.tags)).toBe(true);
  expect(Array.isArray(device.attributes)).toBe(true);
  expect(isoDate(device.creationDate) && isoDate(device.lastUpdated)).toBe(true);
  expect([0, 1, null]).toContain(device.connectionInfo.connected);
}

let token: string;
let app: string;
const userToken = () => {
  const found = sim.seed.apiTokens.find((entry) => entry.ownerType === 'user' && entry.status === 'active');
  if (!found) throw new Error('the seed has no active user token');
  return found.token;
};
const standalone = () => {
  const device = sim.seed.devices.find(
    (entry) => entry.deviceClass === 'standalone' && entry.applicationId === sim.seed.applicationId,
  );
  if (!device) throw new Error('the seed has no standalone device');
  return device;
};

beforeAll(async () => {
  sim = await startPlatformSimulator({ port: 0, host: '127.0.0.1' });
  token = sim.seed.apiToken;
  app = `/applications/${sim.seed.applicationId}`;
});
afterAll(() => sim.close());
beforeEach(async () => {
  await sim.reset();
});

describe('wire conventions', () => {
  it('answers 401 {type: Unauthorized} with an RFC 6750 Bearer challenge', async () => {
    const none = await wire('GET', `${app}/devices`);
    expectError(none, 401, 'Unauthorized');
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
    const bad = await wire('GET', `${app}/devices`, { token: 'not-a-token' });
    expectError(bad, 401, 'Unauthorized');
    expect(bad.headers.get('www-authenticate')).toMatch(/^Bearer .*error="invalid_token"/);
  });

  it('answers unknown paths 404 NotFound, wrong methods 405 MethodNotAllowed, bad bodies 400 Validation', async () => {
    expectError(await wire('GET', '/no/such/thing', { token }), 404, 'NotFound');
    expectError(await wire('PUT', `${app}/devices`, { token, body: {} }), 405, 'MethodNotAllowed');
    const unknown = await wire('POST', `${app}/devices`, { token, body: { name: 'x', colour: 'red' } });
    expectError(unknown, 400, 'Validation');
    expect(unknown.body.validationErrors[0]).toMatchObject({ type: expect.any(String), name: 'colour' });
    expectError(await wire('POST', `${app}/devices`, { token, body: {} }), 400, 'Validation');
  });

  it('answers an unknown application and device with 404 NotFound', async () => {
    expectError(await wire('GET', '/applications/0123456789abcdef01234567/devices', { token }), 404, 'NotFound');
    const device = await wire('GET', `${app}/devices/0123456789abcdef01234567`, { token });
    expectError(device, 404, 'NotFound');
    expect(device.body.message).toBe('Device was not found');
  });
});

describe('POST /auth/device', () => {
  it('answers the documented body for a good key and 401 for a bad secret', async () => {
    const device = standalone();
    const key = sim.seed.accessKeys.find(
      (entry) => entry.status === 'active' && !entry.deleted && !entry.deviceIds.length,
    );
    if (!key) throw new Error('the seed has no unrestricted key');
    const good = await wire('POST', '/auth/device', {
      body: { deviceId: device.id, key: key.key, secret: key.secret },
    });
    expect(good.status).toBe(200);
    expect(good.body).toMatchObject({ applicationId: sim.seed.applicationId, deviceId: device.id });
    expect(good.body.deviceClass).toBe('standalone');
    expect(typeof good.body.token).toBe('string');
    const bad = await wire('POST', '/auth/device', { body: { deviceId: device.id, key: key.key, secret: 'wrong' } });
    expectError(bad, 401, 'Unauthorized');
  });

  it('refuses a peripheral device with 401', async () => {
    const key = sim.seed.accessKeys.find(
      (entry) => entry.status === 'active' && !entry.deleted && !entry.deviceIds.length,
    );
    const peripheral = sim.seed.devices.find(
      (entry) => entry.deviceClass === 'peripheral' && entry.applicationId === sim.seed.applicationId,
    );
    const answer = await wire('POST', '/auth/device', {
      body: { deviceId: peripheral?.id, key: key?.key, secret: key?.secret },
    });
    expectError(answer, 401, 'Unauthorized');
  });
});

describe('GET /me, /orgs, /applications', () => {
  it('answers the user, the organizations and the applications in the documented shapes', async () => {
    const me = await wire('GET', '/me', { token: userToken() });
    expect(me.status).toBe(200);
    expect(me.body.id).toMatch(ID);
    expect(me.body).toMatchObject({ userId: me.body.id, email: expect.any(String), fullName: expect.any(String) });
    expect(typeof me.body.firstName).toBe('string');
    expect(typeof me.body.lastName).toBe('string');

    const orgs = await wire('GET', '/orgs', { token: userToken() });
    expect(orgs.status).toBe(200);
    expectEnvelope(orgs.body);
    const org = orgs.body.items.find((entry: Json) => entry.id === sim.seed.orgId);
    expect(org).toMatchObject({ orgId: sim.seed.orgId, name: sim.seed.orgName });
    for (const member of org.members) {
      expect(member).toMatchObject({ userId: expect.stringMatching(ID), email: expect.any(String) });
      expect(['admin', 'edit', 'collaborate', 'view', 'none']).toContain(member.role);
    }

    const apps = await wire('GET', '/applications', { token: userToken(), query: { orgId: sim.seed.orgId } });
    expect(apps.status).toBe(200);
    expectEnvelope(apps.body);
    expect(apps.body.items.map((entry: Json) => entry.id)).toContain(sim.seed.applicationId);
    for (const entry of apps.body.items) {
      expect(entry).toMatchObject({ applicationId: entry.id, ownerId: sim.seed.orgId, ownerType: 'organization' });
    }
  });
});

describe('devices', () => {
  it('creates (201), reads, patches and deletes ({success: true}) a device', async () => {
    const created = await wire('POST', `${app}/devices`, {
      token,
      body: {
        name: 'conformance-1',
        description: 'made by the conformance test',
        tags: [{ key: 'hwid', value: 'C-1' }],
        attributes: [{ name: 'temperature', dataType: 'number' }],
        deviceClass: 'standalone',
      },
    });
    expect(created.status).toBe(201);
    expectDevice(created.body);
    const path = `${app}/devices/${created.body.id}`;
    const read = await wire('GET', path, { token });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ name: 'conformance-1', tags: [{ key: 'hwid', value: 'C-1' }] });
    const patched = await wire('PATCH', path, { token, body: { name: 'conformance-1b' } });
    expect(patched.status).toBe(200);
    expect(patched.body.name).toBe('conformance-1b');
    expect(await wire('DELETE', path, { token })).toMatchObject({ status: 200, body: { success: true } });
    expect((await wire('GET', path, { token })).status).toBe(404);
  });

  it('lists with page, perPage, sortField, sortDirection (either case) and the envelope', async () => {
    const all = await wire('GET', `${app}/devices`, { token });
    expect(all.status).toBe(200);
    expectEnvelope(all.body);
    expect(all.body.perPage).toBe(100);
    expect(all.body.page).toBe(0);
    all.body.items.forEach(expectDevice);
    const total = all.body.totalCount;
    expect(total).toBeGreaterThan(3);

    const second = await wire('GET', `${app}/devices`, { token, query: { page: 1, perPage: 2, sortField: 'name' } });
    expect(second.body).toMatchObject({ page: 1, perPage: 2, count: 2, totalCount: total });
    const names = all.body.items.map((device: Json) => device.name);
    expect(second.body.items.map((device: Json) => device.name)).toEqual(names.slice(2, 4));

    for (const direction of ['desc', 'DESC']) {
      const desc = await wire('GET', `${app}/devices`, {
        token,
        query: { sortField: 'name', sortDirection: direction },
      });
      expect(desc.status).toBe(200);
      expect(desc.body.items.map((device: Json) => device.name)).toEqual([...names].reverse());
    }
    for (const sortField of ['name', 'id', 'creationDate', 'lastUpdated', 'connectionStatus']) {
      expect((await wire('GET', `${app}/devices`, { token, query: { sortField } })).status).toBe(200);
    }
    expectError(await wire('GET', `${app}/devices`, { token, query: { sortField: 'colour' } }), 400, 'Validation');
  });

  it('filters by name glob, deviceClass (qs array), tagFilter (qs array of objects) and query (JSON)', async () => {
    const probe = standalone();
    const glob = await wire('GET', `${app}/devices`, {
      token,
      query: { filterField: 'name', filter: `${probe.name.slice(0, 4)}*` },
    });
    expect(glob.body.items.map((device: Json) => device.id)).toContain(probe.id);
    for (const device of glob.body.items)
      expect(device.name.toLowerCase()).toMatch(probe.name.slice(0, 4).toLowerCase());

    const classes = await wire('GET', `${app}/devices`, { token, query: { deviceClass: ['gateway', 'peripheral'] } });
    expect(classes.status).toBe(200);
    expect(classes.body.items.length).toBeGreaterThan(0);
    expect(new Set(classes.body.items.map((device: Json) => device.deviceClass))).toEqual(
      new Set(['gateway', 'peripheral']),
    );
    const one = await wire('GET', `${app}/devices`, { token, query: { deviceClass: 'gateway' } });
    expect(one.body.items.every((device: Json) => device.deviceClass === 'gateway')).toBe(true);

    const tag = probe.tags[0];
    if (!tag) throw new Error('the seeded probe has no tag');
    const tagged = await wire('GET', `${app}/devices`, {
      token,
      query: { tagFilter: [{ key: tag.key, value: tag.value }] },
    });
    expect(tagged.status).toBe(200);
    expect(tagged.body.items.map((device: Json) => device.id)).toEqual([probe.id]);
    const keyOnly = await wire('GET', `${app}/devices`, { token, query: { tagFilter: [{ key: tag.key }] } });
    expect(keyOnly.body.items.length).toBeGreaterThanOrEqual(1);

    const queried = await wire('GET', `${app}/devices`, {
      token,
      query: { query: JSON.stringify({ name: probe.name }) },
    });
    expect(queried.body.items.map((device: Json) => device.id)).toEqual([probe.id]);
  });

  it('leaves connectionInfo out with excludeConnectionInfo', async () => {
    const answer = await wire('GET', `${app}/devices`, { token, query: { excludeConnectionInfo: true } });
    expect(answer.status).toBe(200);
    for (const device of answer.body.items) expect(device).not.toHaveProperty('connectionInfo');
    // The Python client writes booleans as `False`.
    const kept = await wire('GET', `${app}/devices`, { token, query: { excludeConnectionInfo: 'False' } });
    for (const device of kept.body.items) expect(device).toHaveProperty('connectionInfo');
  });
});

describe('state, composite state, logs', () => {
  it('takes state, answers the composite state ({attr: {value, time}}) and narrows it by attributes', async () => {
    const probe = standalone();
    const path = `${app}/devices/${probe.id}`;
    const sent = await wire('POST', `${path}/state`, {
      token,
      body: [{ data: { temperature: 4.5, humidity: 60, bogus: 1 }, time: new Date().toISOString() }],
    });
    expect(sent).toMatchObject({ status: 200, body: { success: true } });
    const composite = await wire('GET', `${path}/compositeState`, { token });
    expect(composite.body.temperature).toMatchObject({ value: 4.5 });
    expect(isoDate(composite.body.temperature.time)).toBe(true);
    expect(composite.body).not.toHaveProperty('bogus');
    const narrowed = await wire('GET', `${path}/compositeState`, { token, query: { attributes: 'humidity' } });
    expect(Object.keys(narrowed.body)).toEqual(['humidity']);
    const before = await wire('GET', `${path}/compositeState`, { token, query: { end: Date.now() - 3_600_000 } });
    expect(before.body).toEqual({});
  });

  it('answers 429 TooManyRequests with Retry-After past 30 reports per 15 s', async () => {
    const path = `${app}/devices/${standalone().id}/state`;
    let answer: Answer | undefined;
    for (let i = 0; i < 31; i++) answer = await wire('POST', path, { token, body: { data: { temperature: i } } });
    expectError(answer as Answer, 429, 'TooManyRequests');
    const retryAfter = Number(answer?.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 15).toBe(true);
  });

  it('answers the log as [{connected, time}] with limit, since and sortDirection', async () => {
    const probe = standalone();
    const key = sim.seed.accessKeys.find(
      (entry) => entry.status === 'active' && !entry.deleted && !entry.deviceIds.length,
    );
    for (let i = 0; i < 3; i++) {
      await wire('POST', '/auth/device', { body: { deviceId: probe.id, key: key?.key, secret: key?.secret } });
      sim.advanceClock(10);
    }
    const path = `${app}/devices/${probe.id}/logs`;
    const log = await wire('GET', path, { token });
    expect(log.status).toBe(200);
    expect(Array.isArray(log.body)).toBe(true);
    expect(log.body.length).toBeGreaterThanOrEqual(3);
    for (const entry of log.body) {
      expect([0, 1]).toContain(entry.connected);
      expect(isoDate(entry.time)).toBe(true);
    }
    const times = log.body.map((entry: Json) => Date.parse(entry.time));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const asc = await wire('GET', path, { token, query: { sortDirection: 'asc', limit: 2 } });
    expect(asc.body.map((entry: Json) => Date.parse(entry.time))).toEqual([...times].reverse().slice(0, 2));
    const since = await wire('GET', path, { token, query: { since: times[0] } });
    expect(since.body.map((entry: Json) => Date.parse(entry.time))).toEqual([times[0]]);
  });
});

describe('access keys', () => {
  it('creates (201) with the secret once, lists without it, patches status, deletes', async () => {
    const created = await wire('POST', `${app}/keys`, {
      token,
      body: { name: 'conformance key', deviceIds: [standalone().id] },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      applicationKeyId: created.body.id,
      applicationId: sim.seed.applicationId,
      status: 'active',
      deviceIds: [standalone().id],
    });
    expect(created.body.id).toMatch(ID);
    expect(typeof created.body.key).toBe('string');
    expect(typeof created.body.secret).toBe('string');
    expect(['user', 'apiToken', 'flow']).toContain(created.body.createdByType);
    const path = `${app}/keys/${created.body.id}`;

    const read = await wire('GET', path, { token });
    expect(read.status).toBe(200);
    expect(read.body).not.toHaveProperty('secret');
    const listed = await wire('GET', `${app}/keys`, {
      token,
      query: { filterField: 'key', filter: created.body.key, sortField: 'creationDate', sortDirection: 'DESC' },
    });
    expectEnvelope(listed.body);
    expect(listed.body.items.map((entry: Json) => entry.id)).toEqual([created.body.id]);
    expect(listed.body.items[0]).not.toHaveProperty('secret');

    expectError(await wire('PATCH', path, { token, body: { deviceIds: [] } }), 400, 'Validation');
    expect((await wire('PATCH', path, { token, body: { status: 'inactive' } })).body.status).toBe('inactive');
    expect(await wire('DELETE', path, { token })).toMatchObject({ status: 200, body: { success: true } });
    expectError(await wire('GET', path, { token }), 404, 'NotFound');
  });
});

describe('API tokens', () => {
  it('application tokens: the token string in the POST answer only; PATCH takes name, description, status', async () => {
    const created = await wire('POST', `${app}/tokens`, {
      token,
      body: { name: 'conformance token', scope: ['all.Application.read'] },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      apiTokenId: created.body.id,
      ownerId: sim.seed.applicationId,
      ownerType: 'application',
      name: 'conformance token',
      scope: ['all.Application.read'],
      status: 'active',
      token: expect.any(String),
    });
    const path = `${app}/tokens/${created.body.id}`;
    const read = await wire('GET', path, { token });
    expect(read.body).not.toHaveProperty('token');
    expectEnvelope((await wire('GET', `${app}/tokens`, { token })).body);
    expectError(await wire('PATCH', path, { token, body: { scope: ['all.Application'] } }), 400, 'Validation');
    expect((await wire('PATCH', path, { token, body: { status: 'inactive' } })).body.status).toBe('inactive');
    expect(await wire('DELETE', path, { token })).toMatchObject({ status: 200, body: { success: true } });
  });

  it('user tokens under /me/tokens, and /me/oauth-tokens as a list', async () => {
    const user = userToken();
    const created = await wire('POST', '/me/tokens', { token: user, body: { name: 'conformance user token' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ ownerType: 'user', token: expect.any(String) });
    const list = await wire('GET', '/me/tokens', { token: user });
    expectEnvelope(list.body);
    expect(list.body.items.every((entry: Json) => !('token' in entry))).toBe(true);
    expect(await wire('DELETE', `/me/tokens/${created.body.id}`, { token: user })).toMatchObject({
      status: 200,
      body: { success: true },
    });
    const oauth = await wire('GET', '/me/oauth-tokens', { token: user });
    expect(oauth.status).toBe(200);
    expectEnvelope(oauth.body);
  });
});
