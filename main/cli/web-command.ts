import type { CliCommand } from './commands';
import { runWebHost } from '../host/web-main';

export const webCommand: CliCommand = {
  name: 'web',
  summary: 'Serve the station to a browser on 127.0.0.1 and print the address to open.',
  usage: 'keyline web [--port N] [--open]',
  async run(argv) {
    await runWebHost(argv);
    // The host runs until interrupted; its signal handlers end the process.
    return await new Promise<number>(() => undefined);
  },
};
