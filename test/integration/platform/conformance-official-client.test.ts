import { createRequire } from 'node:module';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startPlatformSimulator, type RunningPlatformSimulator } from '../../../simulators/platform';
import { signIn } from './helpers';

/**
 * Conformance of the simulator with the platform's OFFICIAL REST client, `losant-rest` (JS, 2.8.1):
 * every call of platform-api.md's "Endpoints the station needs" goes through the client's own
 * methods (axios 0.21, its `qs` query strings, its default `Accept-Version: ^1.20.1`) against a
 * real HTTP server on an ephemeral port. Each answer is validated against the JSON schema the
 * client ships for that call (lib/schemas, draft-04, compiled with the ajv already in node_modules),
 * each request body against the client's request schema, and each refusal through the client's
 * error: it rejects with an Error carrying `type`, `message` and `statusCode`.
 *
 * One deliberate widening: platform-api.md (API 1.30) names the device class `embedded`, which is
 * newer than the client's 2.8.1 schemas; `embedded` is added wherever a schema enumerates the
 * device classes. Everything else is the client's schema as shipped.
 *
 * The client has no methods for `/me/oauth-tokens` (2.8.1 predates them); those calls go through
 * the client's own generic `request` (same headers, `qs` params and error handling), and their
 * answers are checked against `apiTokens`/`apiToken`, which they extend with `oauth`.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are checked against schemas
type Json = any;
type Params = Record<string, unknown>;
type Method = (params?: Params) => Promise<Json>;

/** The part of the client the station's endpoints use (the package ships no types). */
interface LosantClient {
  auth: { authenticateDevice: Method };
  me: { get: Method };
  orgs: { get: Method };
  applications: { get: Method };
  devices: { get: Method; post: Method };
  device: {
    get: Method;
    patch: Method;
    delete: Method;
    sendState: Method;
    getCompositeState: Method;
    getLogEntries: Method;
  };
  applicationKeys: { get: Method; post: Method };
  applicationKey: { get: Method; patch: Method; delete: Method };
  applicationApiTokens: { get: Method; post: Method };
  applicationApiToken: { get: Method; patch: Method; delete: Method };
  userApiTokens: { get: Method; post: Method };
  userApiToken: { get: Method; patch: Method; delete: Method };
  /** The client's generic call (same headers, query serializer and errors), for paths it has no method for. */
  request(req: { method: string; url: string; params?: Params; data?: unknown }): Promise<Json>;
}

const require = createRequire(import.meta.url);
const { createClient } = require('losant-rest') as {
  createClient(options: { url?: string; accessToken?: string; acceptVersion?: string }): LosantClient;
};

const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addFormat(
  'date-time',
  (value: string) =>
    /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i.test(value) && !Number.isNaN(Date.parse(value)),
);
ajv.addFormat('email', /^[^\s@]+@[^\s@]+$/);
ajv.addFormat('url', (value: string) => URL.canParse(value));

const DEVICE_CLASS_MARKERS = ['standalone', 'gateway', 'peripheral', 'floating', 'edgeCompute'];

/** Adds `embedded` to every enum of device classes (see the note at the top). */
function withEmbedded(node: Json): Json {
  if (Array.isArray(node)) return node.map(withEmbedded);
  if (node === null || typeof node !== 'object') return node;
  const copy: Json = {};
  for (const [key, value] of Object.entries(node)) copy[key] = withEmbedded(value);
  const values = copy.enum;
  if (Array.isArray(values) && DEVICE_CLASS_MARKERS.every((name) => values.includes(name))) {
    copy.enum = values.includes('embedded') ? values : [...values, 'embedded'];
  }
  return copy;
}

const compiled = new Map<string, ValidateFunction>();
function schema(name: string): ValidateFunction {
  let validate = compiled.get(name);
  if (!validate) {
    // The files declare draft-04; the keywords they use mean the same to ajv's default draft.
    const { $schema: _draft, ...body } = require(`losant-rest/lib/schemas/${name}.json`) as Json;
    // Recursive schemas (advancedDeviceQuery) point at `#/definitions/<their own name>`, which the
    // shipped file leaves out: it means the schema itself.
    const definitions = { [name]: { $ref: '#' }, ...body.definitions };
    validate = ajv.compile(withEmbedded({ ...body, definitions }));
    compiled.set(name, validate);
  }
  return validate;
}

function describeErrors(errors: ErrorObject[] | null | undefined): string {
  return ajv.errorsText(errors, { separator: '\n' });
}

/** A failure shows the answer, never a credential in it. */
const hideCredentials = (key: string, value: unknown) => (key === 'token' || key === 'secret' ? '[hidden]' : value);

/** A copy without the credential fields, for assertions whose failure prints the object. */
function shownWithout(value: Json): Json {
  return JSON.parse(JSON.stringify(value, hideCredentials));
}

/** The value is valid under the client's schema `name` (lib/schemas/<name>.json). */
function expectSchema(name: string, value: unknown): void {
  const validate = schema(name);
  const valid = validate(value);
  const shown = () => JSON.stringify(value, hideCredentials).slice(0, 2000);
  expect(valid ? '' : `${name}: ${describeErrors(validate.errors)}\n${shown()}`).toBe('');
}

/** Awaits a call the client must refuse; answers the client's error. */
async function refusal(promise: Promise<unknown>): Promise<Json> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('the client resolved a call that should have been refused');
}

/** The client's rejection for an error answer: an Error with `type`, `message`, `statusCode`. */
function expectClientError(error: Json, statusCode: number, type: string): void {
  expect(error).toBeInstanceOf(Error);
  expect(error.response, 'an HTTP error answer, not a transport failure').toBeUndefined();
  expect({ statusCode: error.statusCode, type: error.type }).toEqual({ statusCode, type });
  expect(typeof error.message).toBe('string');
  expect(error.message.length).toBeGreaterThan(0);
  expectSchema('error', { type: error.type, message: error.message });
}

const ID = /^[A-Fa-f\d]{24}$/;

let sim: RunningPlatformSimulator;
let applicationId: string;
/** Clients as the checker builds them: `createClient({ url, accessToken })`. */
let appClient: LosantClient;
let userClient: LosantClient;
let anonymous: LosantClient;

const client = (accessToken?: string) =>
  createClient(accessToken === undefined ? { url: sim.url } : { url: sim.url, accessToken });

function userToken(): string {
  const found = sim.seed.apiTokens.find((entry) => entry.ownerType === 'user' && entry.status === 'active');
  if (!found) throw new Error('the seed has no active user token');
  return found.token;
}

function seededDevice(deviceClass: string) {
  const device = sim.seed.devices.find(
    (entry) => entry.deviceClass === deviceClass && entry.applicationId === sim.seed.applicationId,
  );
  if (!device) throw new Error(`the seed has no ${deviceClass} device`);
  return device;
}

function technicianToken(): string {
  const found = sim.seed.apiTokens.find(
    (entry) => entry.ownerType === 'user' && entry.ownerId === sim.seed.technician.id && entry.status === 'active',
  );
  if (!found) throw new Error('the seed has no active technician token');
  return found.token;
}

function unrestrictedKey() {
  const key = sim.seed.accessKeys.find(
    (entry) => entry.status === 'active' && !entry.deleted && !entry.deviceIds.length,
  );
  if (!key) throw new Error('the seed has no unrestricted access key');
  return key;
}

beforeAll(async () => {
  sim = await startPlatformSimulator({ port: 0, host: '127.0.0.1' });
  expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
});
afterAll(() => sim.close());
beforeEach(async () => {
  await sim.reset();
  applicationId = sim.seed.applicationId;
  appClient = client(sim.seed.apiToken);
  userClient = client(userToken());
  anonymous = client();
});

describe('transport', () => {
  it('talks to a plain http:// URL with the default Accept-Version and with ^1.30.0', async () => {
    // axios 0.21 takes http:// URLs; the client sends `Accept-Version: ^1.20.1` unless told otherwise.
    expectSchema('me', await userClient.me.get());
    const pinned = createClient({ url: sim.url, accessToken: userToken(), acceptVersion: '^1.30.0' });
    expectSchema('me', await pinned.me.get());
  });

  it('rejects with {type: Unauthorized, statusCode: 401} without a token and with a bad one', async () => {
    expectClientError(await refusal(anonymous.devices.get({ applicationId })), 401, 'Unauthorized');
    expectClientError(await refusal(client('not-a-token').devices.get({ applicationId })), 401, 'Unauthorized');
    expectClientError(await refusal(anonymous.me.get()), 401, 'Unauthorized');
  });
});

describe('auth.authenticateDevice', () => {
  it('answers authedDevice for good credentials; the device token works through the client', async () => {
    const device = seededDevice('standalone');
    const key = unrestrictedKey();
    const credentials = { deviceId: device.id, key: key.key, secret: key.secret };
    expectSchema('deviceCredentials', credentials);
    const authed = await anonymous.auth.authenticateDevice({ credentials });
    expectSchema('authedDevice', authed);
    expect(shownWithout(authed)).toMatchObject({ applicationId, deviceId: device.id, deviceClass: 'standalone' });

    const deviceClient = client(authed.token);
    const read = await deviceClient.device.get({ applicationId, deviceId: device.id });
    expectSchema('device', read);
    const state = { data: { temperature: 3.5 } };
    expectSchema('deviceStateOrStates', state);
    expectSchema(
      'success',
      await deviceClient.device.sendState({ applicationId, deviceId: device.id, deviceState: state }),
    );

    const scoped = { ...credentials, tokenTTL: 3600, requestedScopes: ['device.get', 'device.sendState'] };
    expectSchema('deviceCredentials', scoped);
    expectSchema('authedDevice', await anonymous.auth.authenticateDevice({ credentials: scoped }));
  });

  it('rejects a bad secret, an inactive key, a key for another device and a peripheral with 401, an unknown field with 400', async () => {
    const device = seededDevice('standalone');
    const key = unrestrictedKey();
    const bad = { deviceId: device.id, key: key.key, secret: 'wrong' };
    expectClientError(await refusal(anonymous.auth.authenticateDevice({ credentials: bad })), 401, 'Unauthorized');
    const peripheral = { deviceId: seededDevice('peripheral').id, key: key.key, secret: key.secret };
    expectClientError(
      await refusal(anonymous.auth.authenticateDevice({ credentials: peripheral })),
      401,
      'Unauthorized',
    );
    const inactive = sim.seed.accessKeys.find((entry) => entry.status === 'inactive' && !entry.deleted);
    if (!inactive) throw new Error('the seed has no inactive access key');
    const asInactive = { deviceId: device.id, key: inactive.key, secret: inactive.secret };
    expectClientError(
      await refusal(anonymous.auth.authenticateDevice({ credentials: asInactive })),
      401,
      'Unauthorized',
    );
    // A key for one device refuses another.
    const others = sim.seed.devices.filter(
      (entry) => entry.deviceClass === 'standalone' && entry.applicationId === applicationId && entry.id !== device.id,
    );
    const other = others[0];
    if (!other) throw new Error('the seed has one standalone device only');
    const narrow = await appClient.applicationKeys.post({ applicationId, applicationKey: { deviceIds: [device.id] } });
    const wrongDevice = { deviceId: other.id, key: narrow.key, secret: narrow.secret };
    expectClientError(
      await refusal(anonymous.auth.authenticateDevice({ credentials: wrongDevice })),
      401,
      'Unauthorized',
    );
    const rightDevice = { deviceId: device.id, key: narrow.key, secret: narrow.secret };
    expectSchema('authedDevice', await anonymous.auth.authenticateDevice({ credentials: rightDevice }));
    const unknown = { deviceId: device.id, key: key.key, secret: key.secret, colour: 'red' };
    const error = await refusal(anonymous.auth.authenticateDevice({ credentials: unknown }));
    expectClientError(error, 400, 'Validation');
  });
});

describe('me, orgs, applications', () => {
  it('answers me, orgs and applications({orgId}) in the client schemas', async () => {
    const me = await userClient.me.get();
    expectSchema('me', me);
    expect(me.id).toMatch(ID);

    const orgs = await userClient.orgs.get();
    expectSchema('orgs', orgs);
    expect(orgs.items.map((org: Json) => org.id)).toContain(sim.seed.orgId);

    const apps = await userClient.applications.get({ orgId: sim.seed.orgId });
    expectSchema('applications', apps);
    expect(apps.items.map((app: Json) => app.id)).toContain(applicationId);
    expect(apps.items.every((app: Json) => app.ownerId === sim.seed.orgId)).toBe(true);
    expectSchema('applications', await userClient.applications.get({ page: 0, perPage: 1, sortField: 'name' }));
  });
});

describe('devices.get', () => {
  it('pages with page/perPage/sortField/sortDirection', async () => {
    const all = await appClient.devices.get({ applicationId });
    expectSchema('devices', all);
    expect(all).toMatchObject({ page: 0, perPage: 100, count: all.items.length });
    expect(all.totalCount).toBeGreaterThan(3);
    const names = all.items.map((device: Json) => device.name);

    const second = await appClient.devices.get({ applicationId, page: 1, perPage: 2, sortField: 'name' });
    expectSchema('devices', second);
    expect(second).toMatchObject({ page: 1, perPage: 2, count: 2, totalCount: all.totalCount });
    expect(second.items.map((device: Json) => device.name)).toEqual(names.slice(2, 4));

    const desc = await appClient.devices.get({ applicationId, sortField: 'name', sortDirection: 'desc' });
    expectSchema('devices', desc);
    expect(desc.items.map((device: Json) => device.name)).toEqual([...names].reverse());
  });

  it('filters with filterField/filter, deviceClass (one or several), tagFilter and query', async () => {
    const probe = seededDevice('standalone');
    const prefix = probe.name.slice(0, 4);
    const glob = await appClient.devices.get({ applicationId, filterField: 'name', filter: `${prefix}*` });
    expectSchema('devices', glob);
    expect(glob.items.map((device: Json) => device.id)).toContain(probe.id);
    for (const device of glob.items) expect(device.name.toLowerCase().startsWith(prefix.toLowerCase())).toBe(true);

    const one = await appClient.devices.get({ applicationId, deviceClass: 'gateway' });
    expectSchema('devices', one);
    expect(one.items.length).toBeGreaterThan(0);
    expect(one.items.every((device: Json) => device.deviceClass === 'gateway')).toBe(true);
    const several = await appClient.devices.get({ applicationId, deviceClass: ['gateway', 'peripheral'] });
    expectSchema('devices', several);
    expect(new Set(several.items.map((device: Json) => device.deviceClass))).toEqual(
      new Set(['gateway', 'peripheral']),
    );

    const tag = probe.tags[0];
    if (!tag) throw new Error('the seeded probe has no tag');
    const tagged = await appClient.devices.get({ applicationId, tagFilter: [{ key: tag.key, value: tag.value }] });
    expectSchema('devices', tagged);
    expect(tagged.items.map((device: Json) => device.id)).toEqual([probe.id]);
    const keyOnly = await appClient.devices.get({ applicationId, tagFilter: [{ key: tag.key }] });
    expectSchema('devices', keyOnly);
    expect(keyOnly.items.map((device: Json) => device.id)).toContain(probe.id);

    // The client JSON-encodes `query` itself; it takes the object.
    const query = { name: probe.name };
    expectSchema('advancedDeviceQuery', query);
    const queried = await appClient.devices.get({ applicationId, query });
    expectSchema('devices', queried);
    expect(queried.items.map((device: Json) => device.id)).toEqual([probe.id]);
    const combined = await appClient.devices.get({
      applicationId,
      query: { $and: [{ deviceClass: 'standalone' }, { name: { $eq: probe.name } }] },
    });
    expect(combined.items.map((device: Json) => device.id)).toEqual([probe.id]);

    const bare = await appClient.devices.get({ applicationId, excludeConnectionInfo: true });
    expectSchema('devices', bare);
    for (const device of bare.items) expect(device).not.toHaveProperty('connectionInfo');
  });

  it('rejects a bad sortField and an unknown deviceClass with 400 Validation, an unknown application with 404', async () => {
    expectClientError(await refusal(appClient.devices.get({ applicationId, sortField: 'colour' })), 400, 'Validation');
    expectClientError(
      await refusal(appClient.devices.get({ applicationId, deviceClass: 'toaster' })),
      400,
      'Validation',
    );
    const missing = await refusal(appClient.devices.get({ applicationId: '0123456789abcdef01234567' }));
    expectClientError(missing, 404, 'NotFound');
  });
});

describe('devices.post and device.get/patch/delete', () => {
  it('creates, reads, patches and deletes a device', async () => {
    const body = {
      name: 'official-client-1',
      description: 'made by the official client',
      tags: [{ key: 'hwid', value: 'OC-1' }],
      attributes: [
        { name: 'temperature', dataType: 'number' },
        { name: 'firmware', dataType: 'string', description: 'version string' },
      ],
      deviceClass: 'standalone',
    };
    expectSchema('devicePost', body);
    const created = await appClient.devices.post({ applicationId, device: body });
    expectSchema('device', created);
    expect(created).toMatchObject({ name: body.name, deviceClass: 'standalone', tags: body.tags, applicationId });
    expect(created.id).toMatch(ID);
    const deviceId = created.id;

    const read = await appClient.device.get({ applicationId, deviceId });
    expectSchema('device', read);
    expect(read).toMatchObject({ id: deviceId, deviceId, name: body.name, attributes: body.attributes });

    const patch = { name: 'official-client-1b', tags: [{ key: 'hwid', value: 'OC-1b' }] };
    expectSchema('devicePatch', patch);
    const patched = await appClient.device.patch({ applicationId, deviceId, device: patch });
    expectSchema('device', patched);
    expect(patched).toMatchObject(patch);

    const deleted = await appClient.device.delete({ applicationId, deviceId });
    expectSchema('success', deleted);
    expect(deleted).toEqual({ success: true });
    expectClientError(await refusal(appClient.device.get({ applicationId, deviceId })), 404, 'NotFound');
    expectClientError(await refusal(appClient.device.delete({ applicationId, deviceId })), 404, 'NotFound');
  });

  it('takes the optional fields of the client schema (parentId, keepDuplicates, systemInterval, contentType)', async () => {
    const gateway = seededDevice('gateway');
    const body = {
      name: 'official-client-peripheral',
      deviceClass: 'peripheral',
      gatewayId: gateway.id,
      parentId: null,
      keepDuplicates: true,
      attributes: [{ name: 'blob', dataType: 'blob', contentType: 'application/octet-stream' }],
    };
    expectSchema('devicePost', body);
    const created = await appClient.devices.post({ applicationId, device: body });
    expectSchema('device', created);
    expect(created).toMatchObject({ gatewayId: gateway.id, keepDuplicates: true });
    const system = { name: 'official-client-system', deviceClass: 'system', systemInterval: 60 };
    expectSchema('devicePost', system);
    expect(await appClient.devices.post({ applicationId, device: system })).toMatchObject({ systemInterval: 60 });
    const patch = { keepDuplicates: false, parentId: null };
    expectSchema('devicePatch', patch);
    const patched = await appClient.device.patch({ applicationId, deviceId: created.id, device: patch });
    expectSchema('device', patched);
    expect(patched.keepDuplicates).toBe(false);

    const child = { name: 'official-client-child', deviceClass: 'floating', parentId: gateway.id };
    expectSchema('devicePost', child);
    const made = await appClient.devices.post({ applicationId, device: child });
    expectSchema('device', made);
    const children = await appClient.devices.get({ applicationId, parentId: gateway.id });
    expectSchema('devices', children);
    expect(children.items.map((device: Json) => device.id)).toEqual([made.id]);
    expect(children.parentId).toBe(gateway.id);

    const bare = await appClient.device.get({ applicationId, deviceId: made.id, excludeConnectionInfo: true });
    expectSchema('device', bare);
    expect(bare).not.toHaveProperty('connectionInfo');
    expect(await appClient.device.get({ applicationId, deviceId: made.id })).toHaveProperty('connectionInfo');
  });

  it('rejects a body outside the schema with 400 Validation and an unknown device with 404 NotFound', async () => {
    const error = await refusal(appClient.devices.post({ applicationId, device: { name: 'x', colour: 'red' } }));
    expectClientError(error, 400, 'Validation');
    expect(Array.isArray(error.validationErrors)).toBe(true);
    expectClientError(await refusal(appClient.devices.post({ applicationId, device: {} })), 400, 'Validation');
    const deviceId = seededDevice('standalone').id;
    expectClientError(
      await refusal(appClient.device.patch({ applicationId, deviceId, device: { deviceIds: [] } })),
      400,
      'Validation',
    );
    const missing = await refusal(appClient.device.get({ applicationId, deviceId: '0123456789abcdef01234567' }));
    expectClientError(missing, 404, 'NotFound');
    expect(missing.message).toBe('Device was not found');
  });
});

describe('device.sendState, getCompositeState, getLogEntries', () => {
  it('takes one state and an array (time as ISO, epoch ms, {$date}); answers the composite state', async () => {
    const deviceId = seededDevice('standalone').id;
    const single = { data: { temperature: 4.5 } };
    expectSchema('deviceStateOrStates', single);
    expectSchema('success', await appClient.device.sendState({ applicationId, deviceId, deviceState: single }));

    const now = Date.now();
    const many = [
      { data: { humidity: 60 }, time: new Date(now - 2000).toISOString() },
      { data: { humidity: 61 }, time: now - 1000 },
      { data: { humidity: 62, bogus: 1 }, time: { $date: new Date(now).toISOString() } },
      { data: { temperature: 5 }, meta: { source: 'official-client' }, flowVersion: 'develop' },
    ];
    expectSchema('deviceStateOrStates', many);
    const sent = await appClient.device.sendState({ applicationId, deviceId, deviceState: many });
    expectSchema('success', sent);
    expect(sent).toEqual({ success: true });

    const composite = await appClient.device.getCompositeState({ applicationId, deviceId });
    expectSchema('compositeDeviceState', composite);
    expect(composite.humidity.value).toBe(62);
    expect(composite.temperature.value).toBe(5);
    expect(composite).not.toHaveProperty('bogus');
    const narrowed = await appClient.device.getCompositeState({ applicationId, deviceId, attributes: 'humidity' });
    expectSchema('compositeDeviceState', narrowed);
    expect(Object.keys(narrowed)).toEqual(['humidity']);
  });

  it('rejects a bad state with 400 Validation and an unknown device with 404 NotFound', async () => {
    const deviceId = seededDevice('standalone').id;
    const bad = await refusal(appClient.device.sendState({ applicationId, deviceId, deviceState: { value: 1 } }));
    expectClientError(bad, 400, 'Validation');
    const missing = await refusal(
      appClient.device.sendState({
        applicationId,
        deviceId: '0123456789abcdef01234567',
        deviceState: { data: { temperature: 1 } },
      }),
    );
    expectClientError(missing, 404, 'NotFound');
    expectClientError(
      await refusal(appClient.device.getCompositeState({ applicationId, deviceId: '0123456789abcdef01234567' })),
      404,
      'NotFound',
    );
  });

  it('rejects the 31st state report in 15 s with 429 TooManyRequests', async () => {
    const deviceId = seededDevice('standalone').id;
    for (let i = 0; i < 30; i++) {
      await appClient.device.sendState({ applicationId, deviceId, deviceState: { data: { temperature: i } } });
    }
    const error = await refusal(
      appClient.device.sendState({ applicationId, deviceId, deviceState: { data: { temperature: 31 } } }),
    );
    expectClientError(error, 429, 'TooManyRequests');
    sim.advanceClock(16);
    expectSchema(
      'success',
      await appClient.device.sendState({ applicationId, deviceId, deviceState: { data: { temperature: 32 } } }),
    );
  });

  it('answers getLogEntries as deviceLog, with limit, since and sortDirection', async () => {
    const device = seededDevice('standalone');
    const key = unrestrictedKey();
    for (let i = 0; i < 3; i++) {
      await anonymous.auth.authenticateDevice({
        credentials: { deviceId: device.id, key: key.key, secret: key.secret },
      });
      sim.advanceClock(10);
    }
    const log = await appClient.device.getLogEntries({ applicationId, deviceId: device.id });
    expectSchema('deviceLog', log);
    expect(log.length).toBeGreaterThanOrEqual(3);
    const times = log.map((entry: Json) => Date.parse(entry.time));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const asc = await appClient.device.getLogEntries({
      applicationId,
      deviceId: device.id,
      limit: 2,
      sortDirection: 'asc',
    });
    expectSchema('deviceLog', asc);
    expect(asc.map((entry: Json) => Date.parse(entry.time))).toEqual([...times].reverse().slice(0, 2));
    const since = await appClient.device.getLogEntries({ applicationId, deviceId: device.id, since: times[0] });
    expectSchema('deviceLog', since);
    expect(since.map((entry: Json) => Date.parse(entry.time))).toEqual([times[0]]);
    expectClientError(
      await refusal(appClient.device.getLogEntries({ applicationId, deviceId: '0123456789abcdef01234567' })),
      404,
      'NotFound',
    );
  });
});

describe('applicationKeys and applicationKey', () => {
  it('creates a key (secret once), lists, reads, patches and deletes it', async () => {
    const deviceId = seededDevice('standalone').id;
    const body = { description: 'official client key', deviceIds: [deviceId] };
    expectSchema('applicationKeyPost', body);
    const created = await appClient.applicationKeys.post({ applicationId, applicationKey: body });
    expectSchema('applicationKeyPostResponse', created);
    expect(shownWithout(created)).toMatchObject({ applicationId, status: 'active', deviceIds: [deviceId] });
    expect(typeof created.secret).toBe('string');
    const applicationKeyId = created.id;
    expect(created.applicationKeyId).toBe(applicationKeyId);

    const listed = await appClient.applicationKeys.get({
      applicationId,
      filterField: 'key',
      filter: created.key,
      sortField: 'creationDate',
      sortDirection: 'desc',
    });
    expectSchema('applicationKeys', listed);
    expect(listed.items.map((key: Json) => key.id)).toEqual([applicationKeyId]);
    expect(listed.items[0]).not.toHaveProperty('secret');
    expectSchema('applicationKeys', await appClient.applicationKeys.get({ applicationId, page: 0, perPage: 1 }));
    // The client JSON-encodes the advanced `query` itself.
    const query = { $and: [{ key: created.key }, { status: { $eq: 'active' } }] };
    expectSchema('advancedApplicationKeyQuery', query);
    const queried = await appClient.applicationKeys.get({ applicationId, query });
    expectSchema('applicationKeys', queried);
    expect(queried.items.map((key: Json) => key.id)).toEqual([applicationKeyId]);

    const read = await appClient.applicationKey.get({ applicationId, applicationKeyId });
    expectSchema('applicationKey', read);
    expect(read).not.toHaveProperty('secret');

    const patch = { status: 'inactive', description: 'switched off' };
    expectSchema('applicationKeyPatch', patch);
    const patched = await appClient.applicationKey.patch({ applicationId, applicationKeyId, applicationKey: patch });
    expectSchema('applicationKey', patched);
    expect(patched).toMatchObject(patch);

    // The client's PATCH schema also carries the MQTT topic filter.
    const topics = { filterType: 'whitelist', pubTopics: ['losant/a'], subTopics: ['losant/b'] };
    expectSchema('applicationKeyPatch', topics);
    const filtered = await appClient.applicationKey.patch({ applicationId, applicationKeyId, applicationKey: topics });
    expectSchema('applicationKey', filtered);
    expect(filtered).toMatchObject(topics);

    const deleted = await appClient.applicationKey.delete({ applicationId, applicationKeyId });
    expectSchema('success', deleted);
    expectClientError(
      await refusal(appClient.applicationKey.get({ applicationId, applicationKeyId })),
      404,
      'NotFound',
    );
  });

  it('rejects deviceIds in a PATCH with 400 Validation', async () => {
    const created = await appClient.applicationKeys.post({ applicationId, applicationKey: {} });
    expectSchema('applicationKeyPostResponse', created);
    const error = await refusal(
      appClient.applicationKey.patch({
        applicationId,
        applicationKeyId: created.id,
        applicationKey: { deviceIds: [] },
      }),
    );
    expectClientError(error, 400, 'Validation');
  });
});

describe('applicationApiTokens and applicationApiToken', () => {
  it('creates a token (string once), lists, reads, patches and deletes it', async () => {
    const body = { name: 'official client token', scope: ['all.Application.read'], description: 'read only' };
    expectSchema('applicationApiTokenPost', body);
    const created = await appClient.applicationApiTokens.post({ applicationId, apiToken: body });
    expectSchema('apiToken', created);
    expect(shownWithout(created)).toMatchObject({ ownerId: applicationId, ownerType: 'application', status: 'active' });
    expect(typeof created.token).toBe('string');
    const apiTokenId = created.id;

    // The client documents the list as `apiToken`; the body is the `apiTokens` collection.
    const listed = await appClient.applicationApiTokens.get({ applicationId });
    expectSchema('apiTokens', listed);
    expect(listed.items.map((token: Json) => token.id)).toContain(apiTokenId);
    expect(listed.items.every((token: Json) => !('token' in token))).toBe(true);
    const filtered = await appClient.applicationApiTokens.get({
      applicationId,
      filterField: 'name',
      filter: 'official*',
      sortField: 'name',
      sortDirection: 'asc',
      page: 0,
      perPage: 5,
    });
    expectSchema('apiTokens', filtered);
    expect(filtered.items.map((token: Json) => token.id)).toEqual([apiTokenId]);

    const read = await appClient.applicationApiToken.get({ applicationId, apiTokenId });
    expectSchema('apiToken', read);
    expect(read).not.toHaveProperty('token');

    const patch = { status: 'inactive', name: 'renamed' };
    expectSchema('apiTokenPatch', patch);
    const patched = await appClient.applicationApiToken.patch({ applicationId, apiTokenId, apiToken: patch });
    expectSchema('apiToken', patched);
    expect(patched).toMatchObject(patch);
    expectClientError(
      await refusal(
        appClient.applicationApiToken.patch({ applicationId, apiTokenId, apiToken: { scope: ['all.Application'] } }),
      ),
      400,
      'Validation',
    );

    expectSchema('success', await appClient.applicationApiToken.delete({ applicationId, apiTokenId }));
    expectClientError(await refusal(appClient.applicationApiToken.get({ applicationId, apiTokenId })), 404, 'NotFound');
  });
});

describe('userApiTokens and userApiToken (/me/tokens)', () => {
  it('creates a user token (string once), lists, reads, patches and deletes it', async () => {
    const body = { name: 'official client user token', scope: ['all.User.read'] };
    expectSchema('apiTokenPost', body);
    const created = await userClient.userApiTokens.post({ apiToken: body });
    expectSchema('apiToken', created);
    expect(shownWithout(created)).toMatchObject({ ownerType: 'user', status: 'active' });
    expect(typeof created.token).toBe('string');
    const apiTokenId = created.id;

    const listed = await userClient.userApiTokens.get();
    expectSchema('apiTokens', listed);
    expect(listed.items.map((token: Json) => token.id)).toContain(apiTokenId);
    expect(listed.items.every((token: Json) => !('token' in token))).toBe(true);

    const read = await userClient.userApiToken.get({ apiTokenId });
    expectSchema('apiToken', read);
    const patched = await userClient.userApiToken.patch({ apiTokenId, apiToken: { description: 'patched' } });
    expectSchema('apiToken', patched);
    expect(patched.description).toBe('patched');

    // The new token works through the client as well.
    expectSchema('me', await client(created.token).me.get());

    expectSchema('success', await userClient.userApiToken.delete({ apiTokenId }));
    expectClientError(await refusal(userClient.userApiToken.get({ apiTokenId })), 404, 'NotFound');
    expectClientError(
      await refusal(userClient.userApiTokens.post({ apiToken: { name: 'x', owner: 'me' } })),
      400,
      'Validation',
    );
  });
});

describe('OAuth access tokens and /me/oauth-tokens', () => {
  const LINK_PARAMS = { _actions: false, _links: true, _embedded: true };

  it('the client works with an OAuth access token; the token is listed, read, patched and deleted', async () => {
    const { tokens } = await signIn(sim, { scope: 'all.Application.bounded only.User.read' });
    expect(tokens.status).toBe(200);
    const oauthClient = client(tokens.body.access_token);
    expectSchema('me', await oauthClient.me.get());
    expectSchema('devices', await oauthClient.devices.get({ applicationId, perPage: 5 }));
    // `.bounded` does not cover API token management: 401 by default, 403 when so configured.
    const outOfScope = () => oauthClient.applicationApiTokens.post({ applicationId, apiToken: { name: 'nope' } });
    expectClientError(await refusal(outOfScope()), 401, 'Unauthorized');
    sim.updateSettings({ missingScopeStatus: 403 });
    try {
      expectClientError(await refusal(outOfScope()), 403, 'Forbidden');
    } finally {
      sim.updateSettings({ missingScopeStatus: 401 });
    }

    const technician = client(technicianToken());
    const list = await technician.request({ method: 'GET', url: '/me/oauth-tokens', params: { ...LINK_PARAMS } });
    expectSchema('apiTokens', list);
    const mine = list.items.find((token: Json) => token.oauth?.client_id === sim.seed.oauthClientId);
    expect(mine).toMatchObject({ ownerType: 'user', status: 'active', oauth: { authorizationStatus: 'authorized' } });
    expect(mine).not.toHaveProperty('token');
    const url = `/me/oauth-tokens/${mine.id}`;
    expectSchema('apiToken', await technician.request({ method: 'GET', url, params: { ...LINK_PARAMS } }));
    const patched = await technician.request({
      method: 'PATCH',
      url,
      params: { ...LINK_PARAMS },
      data: { status: 'inactive', description: 'paused' },
    });
    expectSchema('apiToken', patched);
    expect(patched).toMatchObject({ status: 'inactive', description: 'paused' });
    expectClientError(await refusal(oauthClient.me.get()), 401, 'Unauthorized');
    expectClientError(
      await refusal(technician.request({ method: 'PATCH', url, params: { ...LINK_PARAMS }, data: { scope: [] } })),
      400,
      'Validation',
    );
    expectSchema('success', await technician.request({ method: 'DELETE', url, params: { ...LINK_PARAMS } }));
    expectClientError(
      await refusal(technician.request({ method: 'GET', url, params: { ...LINK_PARAMS } })),
      404,
      'NotFound',
    );
  });
});
