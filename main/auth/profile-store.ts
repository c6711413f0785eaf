import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_API_URL, DEFAULT_SCOPES, Profile, type ProfileDraft } from '../../common/contract/auth';
import { StorageError, writeFileAtomic } from '../storage/atomic-write';
import { AuthError } from './auth-error';
import { normalizeApiUrl } from './server-url';

export const PROFILES_FILE = 'profiles.json';
export const SANDBOX_PROFILE_ID = 'sandbox';

const ProfilesFile = z.strictObject({
  version: z.literal(1),
  activeProfileId: z.string().nullable(),
  profiles: z.array(Profile),
});
type ProfilesFile = z.infer<typeof ProfilesFile>;

/** What the composition root knows about the embedded simulator at launch. */
export interface BuiltInProfile {
  apiUrl: string;
  clientId?: string | null;
  name?: string;
}

/** The fields that sign-in and the account screen change; the technician edits the rest. */
export type ProfileState = Partial<Pick<Profile, 'registeredClientId' | 'account' | 'selectedApplication'>>;

function defaultProfile(): Profile {
  return {
    id: 'losant',
    name: 'Losant',
    apiUrl: DEFAULT_API_URL,
    clientId: null,
    registeredClientId: null,
    scopes: DEFAULT_SCOPES,
    builtIn: false,
    account: null,
    selectedApplication: null,
  };
}

/**
 * Platform profiles, kept as JSON in the data directory with atomic writes. Nothing secret is
 * stored here: the refresh token is in the keychain, named by the profile id and account.
 * Mutations run one after another and re-read the file first, so the app and the CLI sharing the
 * data directory lose at most a concurrent edit, never the file.
 */
export class ProfileStore {
  readonly #file: string;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(dataDir: string) {
    this.#file = path.join(dataDir, PROFILES_FILE);
  }

  get file(): string {
    return this.#file;
  }

  async list(): Promise<ProfilesFile> {
    return this.#read();
  }

  async get(id: string): Promise<Profile> {
    const profile = (await this.#read()).profiles.find((candidate) => candidate.id === id);
    if (!profile) throw new AuthError('AUTH_PROFILE_NOT_FOUND', `There is no platform profile "${id}"`);
    return profile;
  }

  /** Creates or edits a profile from the technician's form; a changed API URL forgets the old registration. */
  save(draft: ProfileDraft): Promise<Profile> {
    return this.#mutate((data) => {
      const apiUrl = normalizeApiUrl(draft.apiUrl);
      const clientId = draft.clientId?.trim() ? draft.clientId.trim() : null;
      const scopes = draft.scopes?.trim() ? draft.scopes.trim() : DEFAULT_SCOPES;
      const existing = draft.id ? data.profiles.find((candidate) => candidate.id === draft.id) : undefined;
      if (draft.id && !existing)
        throw new AuthError('AUTH_PROFILE_NOT_FOUND', `There is no platform profile "${draft.id}"`);
      if (existing?.builtIn && normalizeApiUrl(existing.apiUrl) !== apiUrl) {
        throw new AuthError('AUTH_PROFILE_BUILT_IN', 'The sandbox profile always points at the embedded simulator');
      }
      const sameServer = existing !== undefined && existing.apiUrl === apiUrl;
      const profile: Profile = {
        id: existing?.id ?? `p-${randomBytes(4).toString('hex')}`,
        name: draft.name.trim(),
        apiUrl,
        clientId,
        registeredClientId: sameServer ? existing.registeredClientId : null,
        scopes,
        builtIn: existing?.builtIn ?? false,
        account: sameServer ? existing.account : null,
        selectedApplication: sameServer ? existing.selectedApplication : null,
      };
      data.profiles = existing
        ? data.profiles.map((candidate) => (candidate.id === profile.id ? profile : candidate))
        : [...data.profiles, profile];
      return profile;
    });
  }

  /** Records what sign-in learned (registered client, account, chosen application). */
  update(id: string, state: ProfileState): Promise<Profile> {
    return this.#mutate((data) => {
      const existing = data.profiles.find((candidate) => candidate.id === id);
      if (!existing) throw new AuthError('AUTH_PROFILE_NOT_FOUND', `There is no platform profile "${id}"`);
      const profile = Profile.parse({ ...existing, ...state });
      data.profiles = data.profiles.map((candidate) => (candidate.id === id ? profile : candidate));
      return profile;
    });
  }

  remove(id: string): Promise<boolean> {
    return this.#mutate((data) => {
      const existing = data.profiles.find((candidate) => candidate.id === id);
      if (!existing) return false;
      if (existing.builtIn) throw new AuthError('AUTH_PROFILE_BUILT_IN', 'The sandbox profile cannot be removed');
      data.profiles = data.profiles.filter((candidate) => candidate.id !== id);
      if (data.activeProfileId === id) data.activeProfileId = null;
      return true;
    });
  }

  setActive(id: string | null): Promise<void> {
    return this.#mutate((data) => {
      if (id !== null && !data.profiles.some((candidate) => candidate.id === id)) {
        throw new AuthError('AUTH_PROFILE_NOT_FOUND', `There is no platform profile "${id}"`);
      }
      data.activeProfileId = id;
    });
  }

  /**
   * Puts the sandbox profile in place with the simulator's address of this launch. Returns the
   * profile as it was before when the server changed, so the caller can forget that session.
   */
  installBuiltIn(builtIn: BuiltInProfile): Promise<{ profile: Profile; replaced: Profile | undefined }> {
    return this.#mutate((data) => {
      const apiUrl = normalizeApiUrl(builtIn.apiUrl);
      const existing = data.profiles.find((candidate) => candidate.id === SANDBOX_PROFILE_ID);
      const sameServer = existing !== undefined && existing.apiUrl === apiUrl;
      const profile: Profile = {
        id: SANDBOX_PROFILE_ID,
        name: builtIn.name ?? 'Sandbox',
        apiUrl,
        clientId: builtIn.clientId ?? null,
        registeredClientId: sameServer ? existing.registeredClientId : null,
        scopes: existing?.scopes ?? DEFAULT_SCOPES,
        builtIn: true,
        account: sameServer ? existing.account : null,
        selectedApplication: sameServer ? existing.selectedApplication : null,
      };
      data.profiles = [profile, ...data.profiles.filter((candidate) => candidate.id !== SANDBOX_PROFILE_ID)];
      data.activeProfileId ??= SANDBOX_PROFILE_ID;
      return { profile, replaced: existing && !sameServer ? existing : undefined };
    });
  }

  #mutate<T>(change: (data: ProfilesFile) => T): Promise<T> {
    const run = this.#queue.then(async () => {
      const data = await this.#read();
      const result = change(data);
      await writeFileAtomic(this.#file, `${JSON.stringify(ProfilesFile.parse(data), null, 2)}\n`);
      return result;
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #read(): Promise<ProfilesFile> {
    let text: string;
    try {
      text = await readFile(this.#file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return { version: 1, activeProfileId: null, profiles: [defaultProfile()] };
      }
      throw new StorageError('STORAGE_READ_FAILED', `Could not read ${this.#file}`, { cause: error });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new StorageError('STORAGE_CORRUPT', `${this.#file} is not valid JSON; fix or remove it`, { cause: error });
    }
    const checked = ProfilesFile.safeParse(parsed);
    if (!checked.success) {
      throw new StorageError('STORAGE_CORRUPT', `${this.#file} does not hold Keyline profiles; fix or remove it`);
    }
    return checked.data;
  }
}
