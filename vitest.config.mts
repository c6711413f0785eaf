import { defineConfig } from 'vitest/config';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

export default defineConfig({
  define: { __KEYLINE_VERSION__: JSON.stringify(pkg.version) },
  test: {
    include: ['{common,main,preload,renderer,simulators,test,scripts}/**/*.test.{ts,tsx}'],
    exclude: ['**/node_modules/**', 'dist/**', 'test/e2e/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Real parts (ptys, simulators, keyring) are shared machine resources: keep parallelism modest.
    maxWorkers: 2,
  },
});
