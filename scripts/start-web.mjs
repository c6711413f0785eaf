#!/usr/bin/env node
// `npm run start:web`: build if needed, then run the web host with the given flags.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildAll } from './build.mjs';

const root = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
await buildAll({ ifStale: true, quiet: true });
const child = spawn(process.execPath, [path.join(root, 'dist/main/web-main.cjs'), ...process.argv.slice(2)], {
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
