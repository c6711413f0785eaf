import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunningPlatformSimulator } from '../../../simulators/platform';
import { runKeyline, useSimulatorAndBrowser } from './harness';

/**
 * How `keyline provision`, `decommission` and `diagnose` reach the platform without a session:
 * KEYLINE_TOKEN only with --api, and words that say how to sign in when nothing is given. (On the
 * app's session, through the real keychain: session-renewal.test.ts, the one file that may use the
 * keychain's real entry, so that no other file's sign-in replaces it meanwhile.)
 */

let sim: RunningPlatformSimulator;
const evidence = useSimulatorAndBrowser((started) => ({ sim } = started));
const keyline = (args: string[], env: NodeJS.ProcessEnv = {}) => runKeyline(evidence, args, env);

describe('the CLI reaches the platform', () => {
  it('with KEYLINE_TOKEN only when --api says where, and says how to sign in when nothing is given', async () => {
    for (const command of ['provision', 'decommission']) {
      const noApi = await keyline([command, '--port', '/dev/null'], { KEYLINE_TOKEN: sim.seed.apiToken });
      expect(noApi.code).toBe(2);
      expect(noApi.stderr).toContain('--api is required with KEYLINE_TOKEN');
      expect(noApi.stderr).not.toContain(sim.seed.apiToken);
    }
    const nobody = await keyline(['provision', '--app', sim.seed.applicationId, '--port', '/dev/null'], {
      KEYLINE_DATA_DIR: await freshDataDir(),
    });
    expect(nobody.stderr).toMatch(/No one is signed in on this station.*\[AUTH_SIGNED_OUT\]/s);
  });
});

/** A data directory no one signed in from. */
async function freshDataDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'keyline-cli-access-'));
  evidence.dataDirs.push(dir);
  return dir;
}
