#!/usr/bin/env node
// Builds everything the app runs: the renderer with Vite, and main, preload and the CLI with
// esbuild. `--if-stale` skips the work when dist/ is newer than every source file.
import { build as esbuild } from 'esbuild';
import { build as viteBuild } from 'vite';
import { readFile, readdir, stat, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const dist = path.join(root, 'dist');
const stampFile = path.join(dist, '.build-stamp');
const sourceDirs = ['common', 'main', 'preload', 'renderer', 'simulators'];

async function newestSource(dir) {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? await newestSource(full) : (await stat(full)).mtimeMs);
  }
  return newest;
}

async function isStale() {
  try {
    const built = (await stat(stampFile)).mtimeMs;
    const sources = await Promise.all([
      ...sourceDirs.map((d) => newestSource(path.join(root, d))),
      stat(path.join(root, 'package.json')).then((s) => s.mtimeMs),
    ]);
    return Math.max(...sources) > built;
  } catch {
    return true;
  }
}

export async function buildAll({ ifStale = false, quiet = false } = {}) {
  if (ifStale && !(await isStale())) return false;
  const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8'));
  const define = { __KEYLINE_VERSION__: JSON.stringify(pkg.version) };
  const common = {
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'linked',
    define,
    logLevel: quiet ? 'error' : 'warning',
    absWorkingDir: root,
  };
  // Vite takes NODE_ENV from the environment, and anything but "production" gives React's
  // development build (the inspect CLI tests run this script under Vitest's NODE_ENV=test, and the
  // end-to-end tests then reused that build): several times the window's script time during a
  // batch. What we ship and test is the production build, whoever runs this.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await viteBuild({
      configFile: path.join(root, 'renderer', 'vite.config.mts'),
      mode: 'production',
      logLevel: quiet ? 'error' : 'warn',
    });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  await Promise.all([
    // Main-side bundles keep node_modules external: electron-builder ships them, natives included.
    esbuild({
      ...common,
      packages: 'external',
      entryPoints: {
        'main/electron-main': 'main/electron/electron-main.ts',
        'main/web-main': 'main/host/web-entry.ts',
        'cli/keyline': 'main/cli/cli-entry.ts',
      },
      outdir: dist,
      outExtension: { '.js': '.cjs' },
    }),
    // A sandboxed preload can require only `electron`: everything else is bundled in.
    esbuild({
      ...common,
      platform: 'browser',
      target: 'chrome130',
      external: ['electron'],
      entryPoints: { 'preload/preload': 'preload/preload.ts' },
      outdir: dist,
      outExtension: { '.js': '.cjs' },
    }),
  ]);
  await mkdir(dist, { recursive: true });
  await writeFile(stampFile, new Date().toISOString());
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const ifStale = process.argv.includes('--if-stale');
  const built = await buildAll({ ifStale });
  if (!built) console.log('build: up to date');
}
