import { DEFAULT_PROVISIONING_SETTINGS, ProvisioningSettings } from '../../common/contract/provisioning';
import { JsonSettingsFile } from '../storage/json-settings-file';

export const SETTINGS_FILE = 'provisioning-settings.json';

/** The station's provisioning settings (`provisioning-settings.json` in the data directory). */
export class SettingsStore extends JsonSettingsFile<typeof ProvisioningSettings> {
  constructor(dataDir: string) {
    super(dataDir, {
      fileName: SETTINGS_FILE,
      schema: ProvisioningSettings,
      defaults: DEFAULT_PROVISIONING_SETTINGS,
      noun: 'settings',
    });
  }
}
