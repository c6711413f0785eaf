import { describe, expect, it } from 'vitest';
import { keychainAccount, KeytarSecretStore, MemorySecretStore, type KeytarLike } from './secret-store';

describe('MemorySecretStore', () => {
  it('keeps one entry per account', async () => {
    const store = new MemorySecretStore();
    await store.set('p:u', 'one');
    await store.set('p:u', 'two');
    expect(await store.get('p:u')).toBe('two');
    expect(await store.delete('p:u')).toBe(true);
    expect(await store.get('p:u')).toBeUndefined();
  });
});

describe('KeytarSecretStore', () => {
  it('files entries under the Keyline service and the profile:user account', async () => {
    const calls: string[] = [];
    const entries = new Map<string, string>();
    const keytar: KeytarLike = {
      getPassword: async (service, account) => (calls.push(`get ${service} ${account}`), entries.get(account) ?? null),
      setPassword: async (service, account, password) =>
        void (calls.push(`set ${service} ${account}`), entries.set(account, password)),
      deletePassword: async (service, account) => (calls.push(`delete ${service} ${account}`), entries.delete(account)),
    };
    const store = new KeytarSecretStore({ load: async () => keytar });
    const account = keychainAccount('sandbox', 'u1');
    await store.set(account, 'refresh');
    expect(await store.get(account)).toBe('refresh');
    expect(await store.delete(account)).toBe(true);
    expect(calls).toEqual(['set Keyline sandbox:u1', 'get Keyline sandbox:u1', 'delete Keyline sandbox:u1']);
  });

  it('says plainly when the keychain is locked or missing, without the secret', async () => {
    const locked: KeytarLike = {
      getPassword: async () => Promise.reject(new Error('Cannot create an item in a locked collection')),
      setPassword: async () => Promise.reject(new Error('Cannot create an item in a locked collection')),
      deletePassword: async () => Promise.reject(new Error('Cannot create an item in a locked collection')),
    };
    const store = new KeytarSecretStore({ load: async () => locked });
    const failure = await store.set('p:u', 'the-refresh-token-value').catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'AUTH_KEYCHAIN_UNAVAILABLE' });
    expect((failure as Error).message).toContain('locked collection');
    expect((failure as Error).message).not.toContain('the-refresh-token-value');

    const missing = new KeytarSecretStore({ load: () => Promise.reject(new Error('libsecret-1.so.0: cannot open')) });
    await expect(missing.get('p:u')).rejects.toMatchObject({ code: 'AUTH_KEYCHAIN_UNAVAILABLE' });
  });
});
