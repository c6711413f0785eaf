import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningPlatformSimulator } from '../../../simulators/platform';
import { api, signIn, startSimulator } from './helpers';

let sim: RunningPlatformSimulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim.close());
beforeEach(async () => {
  await sim.reset();
});

const app = () => `/applications/${sim.seed.applicationId}`;
const seededToken = (name: string) => sim.seed.apiTokens.find((token) => token.name === name)!.token;

/** One call of each kind, run with a token; answers the status of each. */
async function probe(token: string) {
  const rest = api(sim, token);
  const device = sim.seed.devices[0]!.id;
  const results = {
    'devices.get': (await rest.get(`${app()}/devices`)).status,
    'device.get': (await rest.get(`${app()}/devices/${device}`)).status,
    'devices.post': (await rest.post(`${app()}/devices`, { name: 'probe' })).status,
    'device.sendState': (await rest.post(`${app()}/devices/${device}/state`, { data: { temperature: 1 } })).status,
    'applicationKeys.get': (await rest.get(`${app()}/keys`)).status,
    'applicationKeys.post': (await rest.post(`${app()}/keys`, {})).status,
    'applicationApiTokens.get': (await rest.get(`${app()}/tokens`)).status,
    'applicationApiTokens.post': (await rest.post(`${app()}/tokens`, { name: 'probe' })).status,
    'me.get': (await rest.get('/me')).status,
  };
  return results;
}

async function appToken(scope: string[]): Promise<string> {
  const created = await api(sim, sim.seed.apiToken).post(`${app()}/tokens`, { name: scope.join(','), scope });
  expect(created.status).toBe(201);
  return created.body.token;
}

describe('application API token scopes', () => {
  const cases: [string[], Record<string, number>][] = [
    [
      ['all.Application'],
      {
        'devices.get': 200,
        'device.get': 200,
        'devices.post': 201,
        'device.sendState': 200,
        'applicationKeys.get': 200,
        'applicationKeys.post': 201,
        'applicationApiTokens.get': 200,
        'applicationApiTokens.post': 201,
        'me.get': 401,
      },
    ],
    [
      ['all.Application.read'],
      {
        'devices.get': 200,
        'device.get': 200,
        'devices.post': 401,
        'device.sendState': 401,
        'applicationKeys.get': 200,
        'applicationKeys.post': 401,
        'applicationApiTokens.get': 200,
        'applicationApiTokens.post': 401,
        'me.get': 401,
      },
    ],
    [
      ['all.Application.bounded'],
      {
        'devices.get': 200,
        'device.get': 200,
        'devices.post': 201,
        'device.sendState': 200,
        'applicationKeys.get': 200,
        'applicationKeys.post': 201,
        'applicationApiTokens.get': 200,
        'applicationApiTokens.post': 401,
        'me.get': 401,
      },
    ],
    [
      ['device.sendState'],
      {
        'devices.get': 401,
        'device.get': 401,
        'devices.post': 401,
        'device.sendState': 200,
        'applicationKeys.get': 401,
        'applicationKeys.post': 401,
        'applicationApiTokens.get': 401,
        'applicationApiTokens.post': 401,
        'me.get': 401,
      },
    ],
    [
      ['devices.*', 'applicationKeys.post'],
      {
        'devices.get': 200,
        'device.get': 401,
        'devices.post': 201,
        'device.sendState': 401,
        'applicationKeys.get': 401,
        'applicationKeys.post': 201,
        'applicationApiTokens.get': 401,
        'applicationApiTokens.post': 401,
        'me.get': 401,
      },
    ],
    [
      ['all.Device'],
      {
        'devices.get': 401,
        'device.get': 200,
        'devices.post': 401,
        'device.sendState': 200,
        'applicationKeys.get': 401,
        'applicationKeys.post': 401,
        'applicationApiTokens.get': 401,
        'applicationApiTokens.post': 401,
        'me.get': 401,
      },
    ],
  ];
  for (const [scope, expected] of cases) {
    it(`${scope.join(' + ')}`, async () => {
      expect(await probe(await appToken(scope))).toEqual(expected);
    });
  }

  it('a token of one application cannot see another', async () => {
    const returns = sim.seed.applications.find((application) => application.name === 'Field Returns')!;
    const answer = await api(sim, sim.seed.apiToken).get(`/applications/${returns.id}/devices`);
    expect(answer).toMatchObject({ status: 404, body: { type: 'NotFound', message: 'Application was not found' } });
  });
});

describe('organization roles (a token never exceeds its user, nor its cap)', () => {
  async function userToken(defaultRole: string): Promise<string> {
    const created = await api(sim, seededToken("Dana's automation token")).post('/me/tokens', {
      name: `cap ${defaultRole}`,
      scope: ['all.User'],
      defaultRole,
    });
    expect(created.status).toBe(201);
    return created.body.token;
  }

  const roleCases: [string, Record<string, number>][] = [
    [
      'view',
      {
        'devices.get': 200,
        'device.get': 200,
        'devices.post': 401,
        'device.sendState': 401,
        'applicationKeys.get': 200,
        'applicationKeys.post': 401,
        'applicationApiTokens.get': 200,
        'applicationApiTokens.post': 401,
        'me.get': 200,
      },
    ],
    [
      'collaborate',
      {
        'devices.get': 200,
        'device.get': 200,
        'devices.post': 201,
        'device.sendState': 200,
        'applicationKeys.get': 200,
        'applicationKeys.post': 201,
        'applicationApiTokens.get': 200,
        'applicationApiTokens.post': 401,
        'me.get': 200,
      },
    ],
    [
      'edit',
      {
        'devices.get': 200,
        'device.get': 200,
        'devices.post': 201,
        'device.sendState': 200,
        'applicationKeys.get': 200,
        'applicationKeys.post': 201,
        'applicationApiTokens.get': 200,
        'applicationApiTokens.post': 201,
        'me.get': 200,
      },
    ],
    [
      'none',
      {
        'devices.get': 404,
        'device.get': 404,
        'devices.post': 404,
        'device.sendState': 404,
        'applicationKeys.get': 404,
        'applicationKeys.post': 404,
        'applicationApiTokens.get': 404,
        'applicationApiTokens.post': 404,
        'me.get': 200,
      },
    ],
  ];
  for (const [role, expected] of roleCases) {
    it(`an administrator's token capped at ${role}`, async () => {
      expect(await probe(await userToken(role))).toEqual(expected);
    });
  }

  it('the technician (collaborate) cannot manage application API tokens even with all.User', async () => {
    const answer = await api(sim, seededToken("Sam's bench CLI")).post(`${app()}/tokens`, { name: 'x' });
    expect(answer.status).toBe(401);
    expect(answer.body.message).toBe(
      'Role "collaborate" in organization "Brightwater Instruments" does not allow applicationApiTokens.post (needs edit)',
    );
    expect((await api(sim, seededToken("Sam's bench CLI")).post(`${app()}/keys`, {})).status).toBe(201);
  });

  it('read-only support cannot create devices or keys whatever its OAuth cap', async () => {
    const { tokens } = await signIn(sim, {
      user: sim.seed.support,
      maxRole: 'admin',
      scope: 'all.Organization.bounded',
    });
    const results = await probe(tokens.body.access_token);
    expect(results).toMatchObject({ 'devices.get': 200, 'devices.post': 401, 'applicationKeys.post': 401 });
  });

  it('the role requirements are configurable', async () => {
    sim.updateSettings({ roleRequirements: { keyWrite: 'edit' } });
    try {
      const answer = await api(sim, seededToken("Sam's bench CLI")).post(`${app()}/keys`, {});
      expect(answer.status).toBe(401);
    } finally {
      sim.updateSettings({ roleRequirements: { keyWrite: 'collaborate' } });
    }
  });
});

describe('401 or 403 for a call the token may not make', () => {
  it('answers 401 Unauthorized by default and 403 Forbidden when configured', async () => {
    const reader = await appToken(['all.Application.read']);
    const before = await api(sim, reader).post(`${app()}/devices`, { name: 'x' });
    expect(before.body).toEqual({ type: 'Unauthorized', message: "The token's scope does not allow devices.post" });
    const strict = await startSimulator({ missingScopeStatus: 403 });
    try {
      const token = strict.seed.apiTokens.find((entry) => entry.name.startsWith('Reporting'))!.token;
      const answer = await api(strict, token).post(`/applications/${strict.seed.applicationId}/devices`, { name: 'x' });
      expect(answer).toMatchObject({ status: 403, body: { type: 'Forbidden' } });
      const { tokens } = await signIn(strict, { maxRole: 'view' });
      const capped = await api(strict, tokens.body.access_token).post(
        `/applications/${strict.seed.applicationId}/devices`,
        { name: 'x' },
      );
      expect(capped.status).toBe(403);
      // Authentication failures stay 401.
      expect((await api(strict, 'garbage').get('/me')).status).toBe(401);
    } finally {
      await strict.close();
    }
  });
});
