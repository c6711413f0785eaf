import path from 'node:path';
import { test as base } from '@playwright/test';
import { startProcess, type StartedProcess } from '../helpers/process';

export const repoRoot = path.resolve(__dirname, '../..');

export interface WebHostFixture {
  url: string;
  origin: string;
  process: StartedProcess;
}

/** Starts the built web host (dist/main/web-main.cjs) for one test file and stops it after. */
export const test = base.extend<object, { webHost: WebHostFixture }>({
  webHost: [
    // eslint-disable-next-line no-empty-pattern -- Playwright requires the fixtures argument to be destructured.
    async ({}, use) => {
      const started = await startProcess(process.execPath, [path.join(repoRoot, 'dist/main/web-main.cjs')], {
        ready: /Open: (http:\/\/127\.0\.0\.1:\d+)\/#token=[0-9a-f]+/,
        cwd: repoRoot,
        // The shell's tests need no embedded sandbox (docs/station.md): less load beside other files.
        env: { KEYLINE_SANDBOX: '0' },
      });
      const url = started.ready[0].slice('Open: '.length);
      await use({ url, origin: started.ready[1]!, process: started });
      await started.stop();
    },
    { scope: 'worker' },
  ],
});

export { expect } from '@playwright/test';
