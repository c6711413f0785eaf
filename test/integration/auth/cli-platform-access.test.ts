import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Browser } from '@playwright/test';
import { describe, expect, it } from 'vitest';
import { KeytarSecretStore } from '../../../main/auth';
import type { RunningPlatformSimulator } from '../../../simulators/platform';
import { browserOpener, createHarness, inKeyringSession, logInAndConsent, useSimulatorAndBrowser } from './harness';

/**
 * How `keyline provision`, `decommission` and `diagnose` reach the platform, through the real
 * keychain: the session a technician signed in with the app, refused when --api names another
 * platform, and KEYLINE_TOKEN only with --api.
 */
const run = promisify(execFile);
const repoRoot = path.resolve(__dirname, '../../..');

let sim: RunningPlatformSimulator;
let browser: Browser;
const evidence = useSimulatorAndBrowser((started) => ({ sim, browser } = started));

async function keyline(args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = await run(process.execPath, ['--import', 'tsx', 'main/cli/cli-entry.ts', ...args], {
    cwd: repoRoot,
    env: { ...process.env, KEYLINE_TOKEN: '', ...env },
    timeout: 60_000,
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code?: number; stdout?: string; stderr?: string }) => ({
      code: error.code ?? -1,
      stdout: error.stdout ?? '',
      stderr: error.stderr ?? '',
    }),
  );
  evidence.logLines.push(result.stdout, result.stderr);
  return result;
}

describe('the CLI reaches the platform', () => {
  it.skipIf(!inKeyringSession)(
    "on the app's session, and refuses an --api that is not the session's platform",
    async () => {
      const browserSide = browserOpener(browser, evidence, (page) => logInAndConsent(page, sim.seed.technician));
      // The real service name: the CLI processes open the same keychain entry.
      const harness = await createHarness(sim, evidence, {
        openExternal: browserSide.openExternal,
        store: new KeytarSecretStore(),
      });
      try {
        await harness.service.signIn('sandbox', 'browser');
        await browserSide.done();
        const device = sim.seed.devices.find((candidate) => candidate.deviceClass === 'standalone')!;
        const dataDir = ['--data-dir', harness.dataDir];

        const diagnosed = await keyline(['diagnose', '--device', device.id, '--json', ...dataDir]);
        expect(diagnosed.code, diagnosed.stderr).toBeLessThan(2);
        // The device's record came from the platform, read on the session's token.
        expect(JSON.parse(diagnosed.stdout)).toMatchObject({
          subject: { deviceId: device.id, deviceName: device.name },
        });

        for (const command of ['provision', 'decommission']) {
          const elsewhere = await keyline([
            command,
            '--api',
            'https://api.example.com',
            '--port',
            '/dev/null',
            ...dataDir,
          ]);
          expect(elsewhere.code).toBe(2);
          expect(elsewhere.stderr).toContain(`The signed-in profile is for ${sim.url}`);
        }
      } finally {
        await harness.service.signOut();
        await harness.close();
      }
    },
    120_000,
  );

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
