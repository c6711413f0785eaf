import { AuthError } from './auth-error';

/**
 * Where the technician's refresh token lives: one entry per profile and account. The OS keychain
 * in the app and the CLI; memory only when the keychain cannot be used. Never a file.
 */
export interface SecretStore {
  readonly kind: 'keychain' | 'memory';
  get(account: string): Promise<string | undefined>;
  set(account: string, secret: string): Promise<void>;
  /** True when an entry was there. */
  delete(account: string): Promise<boolean>;
}

/** The keychain service name every entry is filed under. */
export const KEYCHAIN_SERVICE = 'Keyline';

/** The keychain account of a profile's refresh token. */
export function keychainAccount(profileId: string, userId: string): string {
  return `${profileId}:${userId}`;
}

export class MemorySecretStore implements SecretStore {
  readonly kind = 'memory';
  readonly #entries = new Map<string, string>();

  async get(account: string): Promise<string | undefined> {
    return this.#entries.get(account);
  }

  async set(account: string, secret: string): Promise<void> {
    this.#entries.set(account, secret);
  }

  async delete(account: string): Promise<boolean> {
    return this.#entries.delete(account);
  }

  get size(): number {
    return this.#entries.size;
  }
}

/** The three keytar calls the station uses (keytar's own module satisfies this). */
export interface KeytarLike {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

function keychainUnavailable(error: unknown): AuthError {
  // keytar's messages come from libsecret/Keychain/Credential Manager; they carry no secret, but
  // keep only their first line so a technician sees the reason, not a stack.
  const reason = error instanceof Error ? error.message.split('\n')[0]!.slice(0, 200) : 'unknown reason';
  return new AuthError(
    'AUTH_KEYCHAIN_UNAVAILABLE',
    `The system keychain is unavailable (${reason}). Unlock it or start the keyring service; until then the sign-in lasts only while Keyline runs.`,
    { cause: error },
  );
}

/** The OS keychain through keytar (libsecret on Linux, Keychain on macOS, Credential Manager on Windows). */
export class KeytarSecretStore implements SecretStore {
  readonly kind = 'keychain';
  readonly #load: () => Promise<KeytarLike>;
  readonly #service: string;

  /** `load` defers loading the native module, so a missing libsecret is a typed error, not a crash at launch. */
  constructor(options: { load?: () => Promise<KeytarLike>; service?: string } = {}) {
    this.#load = options.load ?? loadKeytar;
    this.#service = options.service ?? KEYCHAIN_SERVICE;
  }

  async get(account: string): Promise<string | undefined> {
    const keytar = await this.#keytar();
    try {
      return (await keytar.getPassword(this.#service, account)) ?? undefined;
    } catch (error) {
      throw keychainUnavailable(error);
    }
  }

  async set(account: string, secret: string): Promise<void> {
    const keytar = await this.#keytar();
    try {
      await keytar.setPassword(this.#service, account, secret);
    } catch (error) {
      throw keychainUnavailable(error);
    }
  }

  async delete(account: string): Promise<boolean> {
    const keytar = await this.#keytar();
    try {
      return await keytar.deletePassword(this.#service, account);
    } catch (error) {
      throw keychainUnavailable(error);
    }
  }

  async #keytar(): Promise<KeytarLike> {
    try {
      return await this.#load();
    } catch (error) {
      throw keychainUnavailable(error);
    }
  }
}

async function loadKeytar(): Promise<KeytarLike> {
  const loaded = (await import('keytar')) as KeytarLike & { default?: KeytarLike };
  return loaded.default ?? loaded;
}
