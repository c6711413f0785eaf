import { DEFAULT_STATION_PREFS, StationPrefs } from '../../common/contract/station';
import { JsonSettingsFile } from '../storage/json-settings-file';

export const PREFS_FILE = 'station-prefs.json';

/**
 * The station's own preferences (sandbox or platform, sounds, scanner prefix, USB ids) in
 * `station-prefs.json`; missing means the defaults, so a new install runs the sandbox.
 */
export class PrefsStore extends JsonSettingsFile<typeof StationPrefs> {
  constructor(dataDir: string) {
    super(dataDir, {
      fileName: PREFS_FILE,
      schema: StationPrefs,
      defaults: DEFAULT_STATION_PREFS,
      noun: 'preferences',
    });
  }
}
