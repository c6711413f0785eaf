/**
 * Entry of `npm run start:web`: the station's main side plus the renderer, served to a browser on
 * 127.0.0.1. Prints the URL to open (with the per-launch token) and runs until interrupted.
 */
import path from 'node:path';
import { spawn } from 'node:child_process';
import { KeylineError } from '../../common/errors';
import { parseCommandLine, parsePort } from './args';
import { composeStation } from './compose';
import { startWebHost } from './web-host';

const USAGE = 'npm run start:web -- [--port N] [--open] [--renderer-dir DIR] [--sandbox | --no-sandbox]';

/** `--sandbox` / `--no-sandbox` force it; neither: KEYLINE_SANDBOX, else the station preference (sandbox on a new install). */
function sandboxFlag(values: { sandbox?: boolean; 'no-sandbox'?: boolean }): boolean | 'auto' {
  if (values.sandbox && values['no-sandbox'])
    throw new KeylineError('CLI_USAGE', `--sandbox or --no-sandbox, not both\nusage: ${USAGE}`);
  if (values.sandbox) return true;
  if (values['no-sandbox']) return false;
  return 'auto';
}

function openInBrowser(url: string): void {
  const command = process.platform === 'win32' ? 'cmd' : process.platform === 'darwin' ? 'open' : 'xdg-open';
  const args = process.platform === 'win32' ? ['/c', 'start', '', url] : [url];
  const child = spawn(command, args, { stdio: 'ignore', detached: true });
  child.on('error', () => undefined);
  child.unref();
}

export async function runWebHost(argv: string[]): Promise<void> {
  const { values } = parseCommandLine(
    argv,
    {
      port: { type: 'string' },
      open: { type: 'boolean', default: false },
      'renderer-dir': { type: 'string' },
      sandbox: { type: 'boolean' },
      'no-sandbox': { type: 'boolean' },
    },
    USAGE,
  );
  const rendererDir = path.resolve(values['renderer-dir'] ?? path.join(__dirname, '..', 'renderer'));
  const station = await composeStation({ host: 'web', sandbox: sandboxFlag(values) });
  const host = await startWebHost({
    dispatch: station.dispatch,
    events: station.events,
    rendererDir,
    port: parsePort(values.port, 0),
    logger: station.logger,
  });
  if (station.sandbox) {
    process.stdout.write(
      `Keyline sandbox: simulated platform at ${station.sandbox.platformUrl}, ${station.sandbox.simulatedPorts().length} simulated devices (${station.sandbox.transport === 'pty' ? 'pseudo-terminals' : 'in-process virtual ports'}). Switch to a real platform in Settings.\n`,
    );
  }
  process.stdout.write(`Keyline web host ready. Open: ${host.url}\n`);
  if (values.open) openInBrowser(host.url);

  const stop = async () => {
    await host.close();
    await station.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}
