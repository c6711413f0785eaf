import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { KeytarSecretStore } from '../../../main/auth';

/**
 * keytar against the real Secret Service (gnome-keyring in a D-Bus session). Run through
 * `scripts/with-session.sh`, which starts the session and unlocks a throwaway keyring.
 */
const inSession = Boolean(process.env['DBUS_SESSION_BUS_ADDRESS']);

describe.skipIf(!inSession)('KeytarSecretStore on the real keychain', () => {
  it('stores, replaces and deletes a refresh token entry', async () => {
    const store = new KeytarSecretStore({ service: 'Keyline-test' });
    const account = `test-${randomBytes(4).toString('hex')}:user`;
    const first = randomBytes(24).toString('base64url');
    const second = randomBytes(24).toString('base64url');
    try {
      await store.set(account, first);
      expect(await store.get(account)).toBe(first);
      await store.set(account, second);
      expect(await store.get(account)).toBe(second);
      // A second store (another process would do the same) sees the same entry.
      expect(await new KeytarSecretStore({ service: 'Keyline-test' }).get(account)).toBe(second);
    } finally {
      expect(await store.delete(account)).toBe(true);
    }
    expect(await store.get(account)).toBeUndefined();
    expect(await store.delete(account)).toBe(false);
  });
});

describe.skipIf(inSession)('KeytarSecretStore without a keychain session', () => {
  it('reports the keychain as unavailable with a typed error', async () => {
    console.log('no D-Bus session: run through scripts/with-session.sh to test the real keychain');
    const store = new KeytarSecretStore({ service: 'Keyline-test' });
    await expect(store.get('nobody:none')).rejects.toMatchObject({ code: 'AUTH_KEYCHAIN_UNAVAILABLE' });
  });
});
