'use strict';
// Finds the Electron binary without triggering electron's on-demand download (which would print a
// stack trace on an offline machine). With `download: true`, tries the download once, quietly.
const { spawnSync } = require('node:child_process');
const { existsSync, readFileSync } = require('node:fs');
const path = require('node:path');

function findElectronBinary({ download = false } = {}) {
  let packageDir;
  try {
    packageDir = path.dirname(require.resolve('electron/package.json'));
  } catch {
    return undefined;
  }
  const pathFile = path.join(packageDir, 'path.txt');
  const located = () => {
    if (!existsSync(pathFile)) return undefined;
    const relative = readFileSync(pathFile, 'utf8').trim();
    const base = process.env.ELECTRON_OVERRIDE_DIST_PATH || path.join(packageDir, 'dist');
    const binary = path.join(base, relative);
    return existsSync(binary) ? binary : undefined;
  };
  const found = located();
  if (found || !download) return found;
  spawnSync(process.execPath, [path.join(packageDir, 'install.js')], { stdio: 'ignore', timeout: 120_000 });
  return located();
}

exports.findElectronBinary = findElectronBinary;
