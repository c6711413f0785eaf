#!/usr/bin/env node
// `npm start`: the Electron app where its binary exists; otherwise, say so in one line and start
// the web host instead, opening the browser where there is a display.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildAll } from './build.mjs';
import { findElectronBinary } from './electron-binary.cjs';

const root = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
await buildAll({ ifStale: true, quiet: true });
const binary = findElectronBinary({ download: true });
const hasDisplay = process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
let command;
let args;
if (binary && hasDisplay) {
  command = binary;
  args = [root, ...process.argv.slice(2)];
} else {
  const why = binary ? 'no display found' : 'the Electron binary is not installed (offline install)';
  console.log(`Keyline: ${why}; starting the web host instead.`);
  command = process.execPath;
  args = [path.join(root, 'dist/main/web-main.cjs'), ...(hasDisplay ? ['--open'] : []), ...process.argv.slice(2)];
}
const child = spawn(command, args, { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
