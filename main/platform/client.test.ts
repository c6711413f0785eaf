import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../host/logger';
import { SecretRedactor } from '../security/secret-redactor';
import { PlatformClient, type PlatformClientOptions } from './client';
import { PlatformError } from './errors';
import {
  APP_ID,
  DEVICE_ID,
  KEY_ID,
  ORG_ID,
  TOKEN_ID,
  USER_ID,
  deviceBody,
  fakeClock,
  json,
  keyBody,
  recordingTokens,
  scriptedFetch,
  tokenBody,
  type Reply,
} from './test-fakes';
import { staticTokenSource } from './token-source';

const TOKEN = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ0ZXN0In0.c2lnbmF0dXJl';
const SECRET = 'f3a9c1d27b4e4f0aa1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6a7b8';

function client(replies: Reply[], options: Partial<PlatformClientOptions> = {}) {
  const script = scriptedFetch(...replies);
  const clock = fakeClock();
  const platform = new PlatformClient({
    apiUrl: 'https://api.example.test/',
    tokens: staticTokenSource(TOKEN),
    fetch: script.fetch,
    clock,
    retry: { random: () => 0.5 },
    ...options,
  });
  return { platform, requests: script.requests, clock };
}

async function failure(promise: Promise<unknown>): Promise<PlatformError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(PlatformError);
  return error as PlatformError;
}

describe('wire conventions (as losant-rest-js sends them)', () => {
  it('sends Accept, Accept-Version ^1.30.0, the bearer token and the global query on a read', async () => {
    const { platform, requests } = client([json(200, { id: USER_ID, email: 'tess@example.test' })]);
    const me = await platform.me();
    expect(me.email).toBe('tess@example.test');
    const [request] = requests;
    expect(request?.method).toBe('GET');
    expect(`${request?.url.origin}${request?.url.pathname}`).toBe('https://api.example.test/me');
    expect(request?.url.search).toBe('?_actions=false&_links=true&_embedded=true');
    expect(request?.headers.get('accept')).toBe('application/json');
    expect(request?.headers.get('accept-version')).toBe('^1.30.0');
    expect(request?.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
    expect(request?.headers.get('content-type')).toBeNull();
    expect(request?.redirect).toBe('manual');
  });

  it('sends a JSON body with its content type on a create and accepts 201', async () => {
    const { platform, requests } = client([json(201, deviceBody())]);
    const device = await platform.devices.create(APP_ID, {
      name: 'sensor-A1',
      tags: [{ key: 'hwid', value: 'A1' }],
      attributes: [{ name: 'nonce', dataType: 'string' }],
      deviceClass: 'standalone',
    });
    expect(device.id).toBe(DEVICE_ID);
    expect(requests[0]?.method).toBe('POST');
    expect(requests[0]?.url.pathname).toBe(`/applications/${APP_ID}/devices`);
    expect(requests[0]?.headers.get('content-type')).toBe('application/json');
    expect(JSON.parse(requests[0]?.body ?? '')).toEqual({
      name: 'sensor-A1',
      tags: [{ key: 'hwid', value: 'A1' }],
      attributes: [{ name: 'nonce', dataType: 'string' }],
      deviceClass: 'standalone',
    });
  });

  it('encodes device filters as qs does: tagFilter[0][key], deviceClass arrays, query as JSON', async () => {
    const { platform, requests } = client([json(200, { items: [], count: 0, totalCount: 0, perPage: 100, page: 0 })]);
    await platform.devices.list(APP_ID, {
      page: 0,
      perPage: 100,
      sortField: 'name',
      filterField: 'name',
      filter: 'sensor-*',
      deviceClass: ['standalone', 'gateway'],
      tagFilter: [{ key: 'hwid', value: 'A 1' }],
      query: { name: 'x' },
    });
    const search = requests[0]?.url.search ?? '';
    expect(search).toBe(
      '?_actions=false&_links=true&_embedded=true&sortField=name&page=0&perPage=100&filterField=name' +
        '&filter=sensor-%2A&deviceClass%5B0%5D=standalone&deviceClass%5B1%5D=gateway' +
        '&tagFilter%5B0%5D%5Bkey%5D=hwid&tagFilter%5B0%5D%5Bvalue%5D=A%201&query=%7B%22name%22%3A%22x%22%7D',
    );
    const params = requests[0]?.url.searchParams;
    expect(params?.get('tagFilter[0][key]')).toBe('hwid');
    expect(params?.get('query')).toBe('{"name":"x"}');
  });

  it('keeps a path prefix of the API URL', async () => {
    const { platform, requests } = client([json(200, { items: [], count: 0, totalCount: 0 })], {
      apiUrl: 'http://127.0.0.1:4000/api/',
    });
    await platform.orgs();
    expect(requests[0]?.url.href).toMatch(/^http:\/\/127\.0\.0\.1:4000\/api\/orgs\?/);
  });
});

describe('endpoints', () => {
  it('authenticates a device without a bearer token and returns the device token', async () => {
    const redactor = new SecretRedactor();
    const deviceToken = 'eyJkZXZpY2UiOnRydWV9.eyJzdWIiOiJkZXZpY2UifQ.c2ln';
    const { platform, requests } = client(
      [json(200, { applicationId: APP_ID, deviceId: DEVICE_ID, deviceClass: 'standalone', token: deviceToken })],
      { redactor },
    );
    const authed = await platform.authenticateDevice({ deviceId: DEVICE_ID, key: 'k-1', secret: SECRET });
    expect(authed.value.token).toBe(deviceToken);
    expect(requests[0]?.url.pathname).toBe('/auth/device');
    expect(requests[0]?.headers.get('authorization')).toBeNull();
    expect(JSON.parse(requests[0]?.body ?? '')).toEqual({ deviceId: DEVICE_ID, key: 'k-1', secret: SECRET });
    expect(redactor.redact(`t=${deviceToken}`)).toBe('t=[REDACTED]');
    authed.release();
    expect(redactor.size).toBe(0);
  });

  it('sends state with another token source (the device token) via withTokens', async () => {
    const { platform, requests } = client([json(200, { success: true })]);
    const asDevice = platform.withTokens(staticTokenSource('device-token-123'));
    await asDevice.devices.sendState(APP_ID, DEVICE_ID, { data: { nonce: 'n-1' } });
    expect(requests[0]?.url.pathname).toBe(`/applications/${APP_ID}/devices/${DEVICE_ID}/state`);
    expect(requests[0]?.headers.get('authorization')).toBe('Bearer device-token-123');
  });

  it('reads composite state, connection logs, orgs and applications', async () => {
    const { platform, requests } = client([
      json(200, {
        nonce: { value: 'n-1', time: '2025-01-01T00:00:00.000Z' },
        temp: { value: 4.5, time: { $date: 'x' } },
      }),
      json(200, [{ connected: 0, time: '2025-01-01T00:00:00.000Z', disconnectReason: 'Invalid secret' }]),
      json(200, {
        items: [{ id: ORG_ID, orgId: ORG_ID, name: 'Acme', members: [{ userId: USER_ID, role: 'admin' }] }],
        count: 1,
        totalCount: 1,
      }),
      json(200, {
        items: [
          { id: APP_ID, applicationId: APP_ID, ownerId: ORG_ID, ownerType: 'organization', name: 'Cold Chain Sensors' },
        ],
        count: 1,
        totalCount: 1,
      }),
    ]);
    expect((await platform.devices.compositeState(APP_ID, DEVICE_ID))['nonce']?.value).toBe('n-1');
    expect((await platform.devices.logs(APP_ID, DEVICE_ID))[0]?.disconnectReason).toBe('Invalid secret');
    expect((await platform.orgs()).items[0]?.name).toBe('Acme');
    expect((await platform.applications(ORG_ID)).items[0]?.name).toBe('Cold Chain Sensors');
    expect(requests.map((r) => r.url.pathname)).toEqual([
      `/applications/${APP_ID}/devices/${DEVICE_ID}/compositeState`,
      `/applications/${APP_ID}/devices/${DEVICE_ID}/logs`,
      '/orgs',
      '/applications',
    ]);
    expect(requests[3]?.url.searchParams.get('orgId')).toBe(ORG_ID);
  });

  it('gets, patches and deletes devices and keys on their paths', async () => {
    const { platform, requests } = client([
      json(200, deviceBody()),
      json(200, deviceBody({ name: 'renamed' })),
      json(200, { success: true }),
      json(200, keyBody()),
      json(200, keyBody({ status: 'inactive' })),
      json(200, { success: true }),
    ]);
    await platform.devices.get(APP_ID, DEVICE_ID);
    expect((await platform.devices.patch(APP_ID, DEVICE_ID, { name: 'renamed' })).name).toBe('renamed');
    await platform.devices.delete(APP_ID, DEVICE_ID);
    await platform.keys.get(APP_ID, KEY_ID);
    expect((await platform.keys.patch(APP_ID, KEY_ID, { status: 'inactive' })).status).toBe('inactive');
    await platform.keys.delete(APP_ID, KEY_ID);
    expect(requests.map((r) => `${r.method} ${r.url.pathname}`)).toEqual([
      `GET /applications/${APP_ID}/devices/${DEVICE_ID}`,
      `PATCH /applications/${APP_ID}/devices/${DEVICE_ID}`,
      `DELETE /applications/${APP_ID}/devices/${DEVICE_ID}`,
      `GET /applications/${APP_ID}/keys/${KEY_ID}`,
      `PATCH /applications/${APP_ID}/keys/${KEY_ID}`,
      `DELETE /applications/${APP_ID}/keys/${KEY_ID}`,
    ]);
    expect(JSON.parse(requests[4]?.body ?? '')).toEqual({ status: 'inactive' });
  });

  it('lists keys filtered by name', async () => {
    const { platform, requests } = client([json(200, { items: [keyBody()], count: 1, totalCount: 1 })]);
    const page = await platform.keys.list(APP_ID, { filterField: 'name', filter: 'keyline-run-1' });
    expect(page.items[0]?.applicationKeyId).toBe(KEY_ID);
    expect(page.items[0]).not.toHaveProperty('secret');
    expect(requests[0]?.url.searchParams.get('filterField')).toBe('name');
    expect(requests[0]?.url.searchParams.get('filter')).toBe('keyline-run-1');
  });

  it('walks every page of devices with the async iterator', async () => {
    const page = (n: number, count: number) =>
      json(200, {
        items: Array.from({ length: count }, (_, i) => deviceBody({ name: `d-${n}-${i}` })),
        count,
        totalCount: 5,
        perPage: 2,
        page: n,
      });
    const { platform, requests } = client([page(0, 2), page(1, 2), page(2, 1)]);
    const names: string[] = [];
    for await (const device of platform.devices.all(APP_ID, { perPage: 2 })) names.push(device.name);
    expect(names).toEqual(['d-0-0', 'd-0-1', 'd-1-0', 'd-1-1', 'd-2-0']);
    expect(requests.map((r) => r.url.searchParams.get('page'))).toEqual(['0', '1', '2']);
  });

  it('manages application API tokens, user API tokens and OAuth tokens', async () => {
    const redactor = new SecretRedactor();
    const minted = 'eyJtaW50ZWQiOjF9.eyJzdWIiOiJ0b2tlbiJ9.c2lnbmVk';
    const oauth = {
      ...tokenBody({ ownerType: 'user' }),
      oauth: { client_id: 'keyline', authorizationStatus: 'authorized' },
    };
    const { platform, requests } = client(
      [
        json(200, { items: [tokenBody()], count: 1, totalCount: 1 }),
        json(201, tokenBody({ token: minted })),
        json(200, tokenBody({ status: 'inactive' })),
        json(200, { success: true }),
        json(200, { items: [tokenBody({ ownerType: 'user' })], count: 1, totalCount: 1 }),
        json(200, { items: [oauth], count: 1, totalCount: 1 }),
        json(200, oauth),
      ],
      { redactor },
    );
    const appTokens = platform.applicationApiTokens(APP_ID);
    expect((await appTokens.list()).items[0]?.scope).toEqual(['all.Application']);
    const created = await appTokens.create({ name: 'line 3', scope: ['devices.get'] });
    expect(created.value.token).toBe(minted);
    expect(redactor.redact(minted)).toBe('[REDACTED]');
    await appTokens.patch(TOKEN_ID, { status: 'inactive' });
    await appTokens.delete(TOKEN_ID);
    await platform.userApiTokens.list();
    expect((await platform.oauthTokens.list()).items[0]?.oauth.client_id).toBe('keyline');
    await platform.oauthTokens.get(TOKEN_ID);
    expect(requests.map((r) => `${r.method} ${r.url.pathname}`)).toEqual([
      `GET /applications/${APP_ID}/tokens`,
      `POST /applications/${APP_ID}/tokens`,
      `PATCH /applications/${APP_ID}/tokens/${TOKEN_ID}`,
      `DELETE /applications/${APP_ID}/tokens/${TOKEN_ID}`,
      'GET /me/tokens',
      'GET /me/oauth-tokens',
      `GET /me/oauth-tokens/${TOKEN_ID}`,
    ]);
  });
});

describe('checks before sending', () => {
  it('refuses an id that is not an ObjectId, so no value can change the path', async () => {
    const { platform, requests } = client([]);
    const error = await failure(platform.devices.get(APP_ID, '../../me'));
    expect(error.code).toBe('PLATFORM_VALIDATION');
    expect(error.message).not.toContain('../');
    expect(requests).toHaveLength(0);
  });

  it('refuses a body with a field the platform would reject, naming the field', async () => {
    const { platform, requests } = client([]);
    const error = await failure(
      platform.keys.create(APP_ID, { name: 'k', deviceIds: [DEVICE_ID], status: 'active' } as never),
    );
    expect(error.code).toBe('PLATFORM_VALIDATION');
    expect(error.message).toContain('status');
    expect(requests).toHaveLength(0);
  });

  it('names a bad field of device credentials without echoing the secret', async () => {
    const { platform } = client([]);
    const error = await failure(
      platform.authenticateDevice({ deviceId: DEVICE_ID, key: 'k', secret: SECRET, extra: SECRET } as never),
    );
    expect(error.message).not.toContain(SECRET);
  });
});

describe('secrets', () => {
  it('registers a new key secret with the redactor before the caller sees it, and releases it on request', async () => {
    const redactor = new SecretRedactor();
    const { platform } = client([json(201, keyBody({ secret: SECRET }))], { redactor });
    const created = await platform.keys.create(APP_ID, { name: 'keyline-run-1', deviceIds: [DEVICE_ID] });
    expect(created.value.secret).toBe(SECRET);
    expect(redactor.redact(`secret ${SECRET}`)).toBe('secret [REDACTED]');
    created.release();
    expect(redactor.redact(`secret ${SECRET}`)).toBe(`secret ${SECRET}`);
  });

  it('keeps the secret registered when the create answer is malformed, and says nothing of it', async () => {
    const redactor = new SecretRedactor();
    const { platform } = client([json(201, keyBody({ secret: SECRET, id: 'nothex' }))], { redactor });
    const error = await failure(platform.keys.create(APP_ID, { name: 'keyline-run-1', deviceIds: [DEVICE_ID] }));
    expect(error.code).toBe('PLATFORM_BAD_RESPONSE');
    expect(error.outcomeUnknown).toBe(true);
    expect(error.message).toContain('id');
    expect(error.message).not.toContain(SECRET);
    expect(error.message).not.toContain('nothex');
    expect(redactor.redact(SECRET)).toBe('[REDACTED]');
  });

  it('never writes the token, a secret or a body to the log', async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _encoding, callback) {
        lines.push(String(chunk));
        callback();
      },
    });
    const redactor = new SecretRedactor();
    const logger = createLogger({ destination, level: 'debug', redactor });
    const { platform } = client(
      [
        json(503, { type: 'Unavailable', message: 'busy' }),
        json(201, keyBody({ secret: SECRET })),
        json(400, { type: 'Validation', message: `bad token ${TOKEN} and ${SECRET}` }),
      ],
      { logger, redactor },
    );
    await failure(platform.keys.create(APP_ID, { name: 'k', deviceIds: [DEVICE_ID] }));
    await platform.keys.create(APP_ID, { name: 'k', deviceIds: [DEVICE_ID] });
    const error = await failure(platform.keys.create(APP_ID, { name: 'k', deviceIds: [DEVICE_ID] }));
    logger.flush();
    const text = lines.join('');
    expect(text).toContain('platform call');
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(SECRET);
    expect(error.message).not.toContain(TOKEN);
    expect(error.message).not.toContain(SECRET);
    expect(error.message).toContain('[REDACTED]');
  });

  it('refuses a malformed token without putting it in the message', async () => {
    const bad = 'abc\r\nX-Evil: 1';
    const { platform, requests } = client([], { tokens: staticTokenSource(bad) });
    const error = await failure(platform.me());
    expect(error.code).toBe('PLATFORM_UNAUTHORIZED');
    expect(error.message).not.toContain('X-Evil');
    expect(requests).toHaveLength(0);
  });

  it('scrubs the device secret from the platform reason of a refused device authentication', async () => {
    const { platform } = client([json(401, { type: 'Unauthorized', message: `Invalid secret ${SECRET}` })]);
    const error = await failure(platform.authenticateDevice({ deviceId: DEVICE_ID, key: 'k-1', secret: SECRET }));
    expect(error.code).toBe('PLATFORM_UNAUTHORIZED');
    expect(error.status).toBe(401);
    expect(error.message).toContain('Invalid secret [REDACTED]');
    expect(error.message).not.toContain(SECRET);
  });
});

describe('401: refresh once', () => {
  it('asks once for a fresh token after a 401 and retries with it', async () => {
    const tokens = recordingTokens('old-token', 'new-token');
    const { platform, requests } = client(
      [json(401, { type: 'Unauthorized', message: 'Unauthorized' }), json(200, { id: USER_ID, email: 'a@b' })],
      { tokens },
    );
    await platform.me();
    expect(tokens.refreshCalls).toEqual(['old-token']);
    expect(requests.map((r) => r.headers.get('authorization'))).toEqual(['Bearer old-token', 'Bearer new-token']);
  });

  it('fails with PLATFORM_UNAUTHORIZED when the fresh token is refused too, without asking again', async () => {
    const tokens = recordingTokens('old-token', 'new-token');
    const unauthorized = () => json(401, { type: 'Unauthorized', message: 'Unauthorized' });
    const { platform, requests } = client([unauthorized(), unauthorized()], { tokens });
    const error = await failure(platform.devices.get(APP_ID, DEVICE_ID));
    expect(error.code).toBe('PLATFORM_UNAUTHORIZED');
    expect(error.message).toMatch(/may not do this/);
    expect(tokens.refreshCalls).toHaveLength(1);
    expect(requests).toHaveLength(2);
  });

  it('fails at once with a static API token', async () => {
    const { platform, requests } = client([json(401, { type: 'Unauthorized', message: 'Token expired' })]);
    const error = await failure(platform.me());
    expect(error.code).toBe('PLATFORM_UNAUTHORIZED');
    expect(error.message).toContain('KEYLINE_TOKEN');
    expect(error.message).toContain('Token expired');
    expect(requests).toHaveLength(1);
  });

  it('retries a create after a refresh: the 401 proves nothing was created', async () => {
    const tokens = recordingTokens('old-token', 'new-token');
    const { platform, requests } = client(
      [json(401, { type: 'Unauthorized' }), json(201, keyBody({ secret: SECRET }))],
      {
        tokens,
      },
    );
    await platform.keys.create(APP_ID, { name: 'k', deviceIds: [DEVICE_ID] });
    expect(requests).toHaveLength(2);
  });

  it('treats a 401 that names a missing scope as PLATFORM_FORBIDDEN, without refreshing', async () => {
    const tokens = recordingTokens('old-token', 'new-token');
    const { platform, requests } = client(
      [json(401, { type: 'Unauthorized', message: 'Token does not have the required scope: applicationKeys.post' })],
      { tokens },
    );
    const error = await failure(platform.keys.create(APP_ID, { name: 'k', deviceIds: [DEVICE_ID] }));
    expect(error.code).toBe('PLATFORM_FORBIDDEN');
    expect(error.status).toBe(401);
    expect(error.message).toContain(`This session may not create an access key in application ${APP_ID}`);
    expect(tokens.refreshCalls).toHaveLength(0);
    expect(requests).toHaveLength(1);
  });

  it.each([
    'Role "view" in organization "Acme" does not allow applicationKeys.post (needs edit)',
    'applicationKeys.post needs a user token',
    'Insufficient permissions',
  ])('reads "%s" on a 401 as a missing permission', async (message) => {
    const { platform } = client([json(401, { type: 'Unauthorized', message })]);
    const error = await failure(platform.keys.create(APP_ID, { name: 'k', deviceIds: [DEVICE_ID] }));
    expect(error.code).toBe('PLATFORM_FORBIDDEN');
    expect(error.message).toContain('This session may not');
  });
});
