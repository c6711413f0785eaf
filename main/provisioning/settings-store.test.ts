import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_PROVISIONING_SETTINGS } from '../../common/contract/provisioning';
import { SETTINGS_FILE, SettingsStore } from './settings-store';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'keyline-settings-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('SettingsStore', () => {
  it('starts from the defaults and keeps what is changed', async () => {
    expect(await new SettingsStore(dir).get()).toEqual(DEFAULT_PROVISIONING_SETTINGS);
    await new SettingsStore(dir).update({ verifyMode: 'station', watchedPorts: ['/dev/ttyUSB0'] });
    expect(await new SettingsStore(dir).get()).toMatchObject({ verifyMode: 'station', watchedPorts: ['/dev/ttyUSB0'] });
  });

  it('reports a damaged file instead of falling back to defaults', async () => {
    await writeFile(path.join(dir, SETTINGS_FILE), '{"verifyMode":"sometimes"}');
    await expect(new SettingsStore(dir).get()).rejects.toMatchObject({ code: 'STORAGE_CORRUPT' });
  });

  it('refuses invalid settings and changes nothing', async () => {
    const store = new SettingsStore(dir);
    await expect(store.update({ deviceNameTemplate: '' })).rejects.toThrow();
    expect(await store.get()).toEqual(DEFAULT_PROVISIONING_SETTINGS);
  });
});
