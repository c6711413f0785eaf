import { describe, expect, it } from 'vitest';
import { createAccountDirectory } from './account-directory';
import type { AccessTokenProvider } from './session';

const USER = { id: 'a'.repeat(24), email: 'tech@example.com', firstName: 'Ana', lastName: 'Tech' };

function scripted(answers: Array<{ status: number; body: unknown }>) {
  const seen: Array<{ url: string; headers: Record<string, string> }> = [];
  const fetchImpl = (async (url: string, init: RequestInit) => {
    seen.push({ url, headers: init.headers as Record<string, string> });
    const answer = answers.length > 1 ? answers.shift()! : answers[0]!;
    return new Response(JSON.stringify(answer.body), { status: answer.status });
  }) as unknown as typeof fetch;
  return { fetchImpl, seen };
}

function tokens(): AccessTokenProvider & { renewals: string[] } {
  let current = 'access-1';
  const renewals: string[] = [];
  return {
    renewals,
    getAccessToken: async () => current,
    refreshAfter401: async (rejected) => {
      renewals.push(rejected);
      current = 'access-2';
      return current;
    },
  };
}

describe('createAccountDirectory', () => {
  it('sends the platform headers and checks the answer', async () => {
    const { fetchImpl, seen } = scripted([{ status: 200, body: { ...USER, extra: true } }]);
    const directory = createAccountDirectory({
      apiUrl: 'https://api.example.com/',
      tokens: tokens(),
      fetch: fetchImpl,
    });
    expect(await directory.me()).toMatchObject({ id: USER.id, email: USER.email });
    expect(seen[0]).toEqual({
      url: 'https://api.example.com/me',
      headers: { Accept: 'application/json', 'Accept-Version': '^1.30.0', Authorization: 'Bearer access-1' },
    });
  });

  it('renews once after a 401 and retries', async () => {
    const provider = tokens();
    const { fetchImpl, seen } = scripted([
      { status: 401, body: { type: 'Unauthorized', message: 'expired' } },
      { status: 200, body: USER },
    ]);
    const directory = createAccountDirectory({ apiUrl: 'https://api.example.com', tokens: provider, fetch: fetchImpl });
    await directory.me();
    expect(provider.renewals).toEqual(['access-1']);
    expect(seen[1]!.headers['Authorization']).toBe('Bearer access-2');
  });

  it('does not loop when the renewed token is refused too', async () => {
    const provider = tokens();
    const { fetchImpl, seen } = scripted([{ status: 401, body: { type: 'Unauthorized', message: 'no' } }]);
    const directory = createAccountDirectory({ apiUrl: 'https://api.example.com', tokens: provider, fetch: fetchImpl });
    await expect(directory.organizations()).rejects.toMatchObject({ code: 'AUTH_FORBIDDEN' });
    expect(seen).toHaveLength(2);
  });

  it('follows pages and refuses answers of the wrong shape', async () => {
    const org = (index: number) => ({ id: index.toString(16).padStart(24, '0'), name: `Org ${index}` });
    const { fetchImpl, seen } = scripted([
      { status: 200, body: { items: [org(1), org(2)], count: 2, totalCount: 3 } },
      { status: 200, body: { items: [org(3)], count: 1, totalCount: 3 } },
    ]);
    const directory = createAccountDirectory({ apiUrl: 'https://api.example.com', tokens: tokens(), fetch: fetchImpl });
    expect((await directory.organizations()).map((item) => item.name)).toEqual(['Org 1', 'Org 2', 'Org 3']);
    expect(seen.map((call) => new URL(call.url).searchParams.get('page'))).toEqual(['0', '1']);

    const bad = scripted([{ status: 200, body: { items: [{ id: 'not-an-id', name: 1 }] } }]);
    const broken = createAccountDirectory({
      apiUrl: 'https://api.example.com',
      tokens: tokens(),
      fetch: bad.fetchImpl,
    });
    await expect(broken.applications('b'.repeat(24))).rejects.toMatchObject({ code: 'AUTH_BAD_RESPONSE' });
    expect(bad.seen[0]!.url).toContain(`/applications?orgId=${'b'.repeat(24)}&page=0`);
  });

  it('reports platform failures without the token', async () => {
    const { fetchImpl } = scripted([{ status: 503, body: { type: 'Unavailable', message: 'down' } }]);
    const directory = createAccountDirectory({ apiUrl: 'https://api.example.com', tokens: tokens(), fetch: fetchImpl });
    const error = (await directory.me().catch((failure: unknown) => failure)) as Error & { code: string };
    expect(error.code).toBe('AUTH_NETWORK');
    expect(error.message).not.toContain('access-1');
  });
});
