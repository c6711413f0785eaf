import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_API_URL, DEFAULT_SCOPES } from '../../common/contract/auth';
import { ProfileStore, SANDBOX_PROFILE_ID } from './profile-store';

let dir: string;
let store: ProfileStore;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'keyline-profiles-'));
  store = new ProfileStore(dir);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const account = { userId: 'a'.repeat(24), email: 'tech@example.com', name: 'Tech' };

describe('ProfileStore', () => {
  it('offers the real platform with least-privilege scopes on a new install', async () => {
    const { profiles, activeProfileId } = await store.list();
    expect(activeProfileId).toBeNull();
    expect(profiles).toEqual([
      expect.objectContaining({ apiUrl: DEFAULT_API_URL, scopes: DEFAULT_SCOPES, clientId: null, builtIn: false }),
    ]);
  });

  it('saves a profile as JSON with an owner-only mode and reads it back', async () => {
    const saved = await store.save({ name: 'Plant 2', apiUrl: 'https://iot.example.com/', clientId: ' abc ' });
    expect(saved).toMatchObject({ apiUrl: 'https://iot.example.com', clientId: 'abc', scopes: DEFAULT_SCOPES });
    expect((await new ProfileStore(dir).get(saved.id)).name).toBe('Plant 2');
    const text = await readFile(store.file, 'utf8');
    expect(JSON.parse(text).profiles).toHaveLength(2);
  });

  it('forgets the registered client, account and application when the API URL changes', async () => {
    const saved = await store.save({ name: 'P', apiUrl: 'https://a.example.com' });
    await store.update(saved.id, {
      registeredClientId: 'registered',
      account,
      selectedApplication: { id: 'b'.repeat(24), name: 'Cold Chain Sensors' },
    });
    const renamed = await store.save({ id: saved.id, name: 'Q', apiUrl: 'https://a.example.com' });
    expect(renamed).toMatchObject({ name: 'Q', registeredClientId: 'registered', account });
    const moved = await store.save({ id: saved.id, name: 'Q', apiUrl: 'https://b.example.com' });
    expect(moved).toMatchObject({ registeredClientId: null, account: null, selectedApplication: null });
  });

  it('refuses plain http to another machine', async () => {
    await expect(store.save({ name: 'P', apiUrl: 'http://iot.example.com' })).rejects.toMatchObject({
      code: 'AUTH_INSECURE_URL',
    });
  });

  it('installs the sandbox profile with this launch’s address and keeps it from being removed', async () => {
    const first = await store.installBuiltIn({ apiUrl: 'http://127.0.0.1:4000', clientId: 'keyline-station' });
    expect(first.replaced).toBeUndefined();
    expect(first.profile).toMatchObject({ id: SANDBOX_PROFILE_ID, builtIn: true, clientId: 'keyline-station' });
    expect((await store.list()).activeProfileId).toBe(SANDBOX_PROFILE_ID);
    await store.update(SANDBOX_PROFILE_ID, { account });
    const again = await store.installBuiltIn({ apiUrl: 'http://127.0.0.1:4000' });
    expect(again.profile.account).toEqual(account);
    const moved = await store.installBuiltIn({ apiUrl: 'http://127.0.0.1:5000' });
    expect(moved.replaced?.account).toEqual(account);
    expect(moved.profile.account).toBeNull();
    await expect(store.remove(SANDBOX_PROFILE_ID)).rejects.toMatchObject({ code: 'AUTH_PROFILE_BUILT_IN' });
    await expect(
      store.save({ id: SANDBOX_PROFILE_ID, name: 'S', apiUrl: 'https://elsewhere.example.com' }),
    ).rejects.toMatchObject({ code: 'AUTH_PROFILE_BUILT_IN' });
  });

  it('removes a profile and clears it as the active one', async () => {
    const saved = await store.save({ name: 'P', apiUrl: 'https://a.example.com' });
    await store.setActive(saved.id);
    expect(await store.remove(saved.id)).toBe(true);
    expect(await store.remove(saved.id)).toBe(false);
    expect((await store.list()).activeProfileId).toBeNull();
  });

  it('reports a damaged file with a typed error instead of starting over', async () => {
    await writeFile(store.file, '{"version":1,"profiles":');
    await expect(store.list()).rejects.toMatchObject({ code: 'STORAGE_CORRUPT' });
    await writeFile(store.file, '{"version":1,"activeProfileId":null,"profiles":[{"id":"x"}]}');
    await expect(store.list()).rejects.toMatchObject({ code: 'STORAGE_CORRUPT' });
  });

  it('serializes concurrent changes so none is lost', async () => {
    await Promise.all(
      Array.from({ length: 8 }, (_, index) => store.save({ name: `P${index}`, apiUrl: 'https://a.example.com' })),
    );
    expect((await store.list()).profiles).toHaveLength(9);
  });
});
