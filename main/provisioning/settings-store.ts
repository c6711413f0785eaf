import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_PROVISIONING_SETTINGS, ProvisioningSettings } from '../../common/contract/provisioning';
import { StorageError, writeFileAtomic } from '../storage/atomic-write';

export const SETTINGS_FILE = 'provisioning-settings.json';

/**
 * The station's provisioning settings in the data directory, written atomically. A missing file
 * means the defaults; a damaged one is reported (never silently replaced by defaults that could,
 * say, switch verification from device to station).
 */
export class SettingsStore {
  readonly file: string;
  #cached: ProvisioningSettings | undefined;

  constructor(dataDir: string) {
    this.file = path.join(dataDir, SETTINGS_FILE);
  }

  async get(): Promise<ProvisioningSettings> {
    if (this.#cached) return this.#cached;
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT')
        return (this.#cached = { ...DEFAULT_PROVISIONING_SETTINGS });
      throw new StorageError('STORAGE_READ_FAILED', `Could not read ${this.file}: check its permissions`, {
        cause: error,
      });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new StorageError(
        'STORAGE_CORRUPT',
        `${this.file} is not valid JSON: fix it or delete it to use the defaults`,
        {
          cause: error,
        },
      );
    }
    const checked = ProvisioningSettings.safeParse({ ...DEFAULT_PROVISIONING_SETTINGS, ...(parsed as object) });
    if (!checked.success) {
      throw new StorageError(
        'STORAGE_CORRUPT',
        `${this.file} holds settings Keyline does not understand: fix it or delete it to use the defaults`,
      );
    }
    return (this.#cached = checked.data);
  }

  /** The settings now in force (defaults until the first get). */
  current(): ProvisioningSettings {
    return this.#cached ?? { ...DEFAULT_PROVISIONING_SETTINGS };
  }

  async update(patch: Partial<ProvisioningSettings>): Promise<ProvisioningSettings> {
    const next = ProvisioningSettings.parse({ ...(await this.get()), ...patch });
    await writeFileAtomic(this.file, `${JSON.stringify(next, null, 2)}\n`);
    this.#cached = next;
    return next;
  }
}
