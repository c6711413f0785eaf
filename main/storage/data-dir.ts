import os from 'node:os';
import path from 'node:path';

/**
 * Where the station keeps its journal, profiles and lock. The app and the CLI resolve the same
 * directory, so they share one journal and one lock. Order: explicit flag, KEYLINE_DATA_DIR, the
 * platform's per-user data folder. No secret is ever written here.
 */
export function resolveDataDir(
  options: { flag?: string; env?: NodeJS.ProcessEnv; platform?: NodeJS.Platform; home?: string } = {},
): string {
  const env = options.env ?? process.env;
  const explicit = options.flag ?? env['KEYLINE_DATA_DIR'];
  if (explicit) return path.resolve(explicit);
  const platform = options.platform ?? process.platform;
  const home = options.home ?? os.homedir();
  if (platform === 'win32') return path.join(env['APPDATA'] ?? path.join(home, 'AppData', 'Roaming'), 'Keyline');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Keyline');
  return path.join(env['XDG_DATA_HOME'] || path.join(home, '.local', 'share'), 'keyline');
}
