import { parseCommandLine } from '../host/args';
import { discoverPorts } from '../serial';
import type { CliCommand } from './commands';

const USAGE = 'keyline ports [--add PATH ...] [--dir DIR ...] [--all] [--json]';

/**
 * `keyline ports`: the serial ports this station can provision on, with the lane each belongs to,
 * and every port filtered out with the reason (not a known USB serial adapter, a pseudo-terminal
 * nobody added, ...). Pseudo-terminals never appear by themselves: add them with --add or --dir.
 */
export const portsCommand: CliCommand = {
  name: 'ports',
  summary: 'List the serial ports found, the lane each belongs to, and the ports filtered out with the reason.',
  usage: USAGE,
  async run(argv, io) {
    const { values } = parseCommandLine(
      argv,
      {
        add: { type: 'string', multiple: true },
        dir: { type: 'string', multiple: true },
        all: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
      },
      USAGE,
    );
    const result = await discoverPorts({
      userPaths: values.add ?? [],
      userDirs: values.dir ?? [],
      allowUnknownAdapters: values.all,
    });
    if (values.json) {
      io.stdout(`${JSON.stringify(result)}\n`);
      return 0;
    }
    io.stdout(
      `Found by ${result.method === 'list' ? 'SerialPort.list()' : 'scanning /dev (SerialPort.list() failed)'}`,
    );
    io.stdout(result.listError ? `: ${result.listError}\n` : '\n');
    if (result.ports.length === 0) io.stdout('No usable serial port. Plug a device in, or add a path with --add.\n');
    for (const port of result.ports) {
      const what = [
        port.family,
        port.manufacturer,
        port.product,
        port.serialNumber ? `serial ${port.serialNumber}` : undefined,
      ]
        .filter(Boolean)
        .join(', ');
      io.stdout(`  ${port.path}${what ? `  (${what})` : ''}\n      lane: ${port.laneKey} — ${port.laneKeyReason}\n`);
    }
    if (result.filtered.length > 0) {
      io.stdout('Filtered out:\n');
      for (const port of result.filtered) io.stdout(`  ${port.path}: ${port.reason}\n`);
    }
    return 0;
  },
};
