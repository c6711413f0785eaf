import { parseCommandLine } from '../host/args';
import { discoverPorts, PortWatcher, type DiscoveredPort, type DiscoveryOptions } from '../serial';
import type { CliCommand, CliIo } from './commands';

const USAGE = 'keyline ports [--add PATH]... [--dir DIR]... [--unknown] [--json] [--watch]';

function describe(port: DiscoveredPort): string {
  const ids = port.vendorId ? ` ${port.vendorId}:${port.productId ?? '????'}` : '';
  const serial = port.serialNumber ? ` serial ${port.serialNumber}` : '';
  const socket = port.usbPath ? ` usb ${port.usbPath}` : '';
  return `${port.path} -> ${port.realPath}  ${port.family ?? port.source}${ids}${serial}${socket}  lane ${port.laneKey} (${port.laneKeyReason})`;
}

/** Lists the serial ports the station can use, why others are left out, and with --watch, plug events. */
export const portsCommand: CliCommand = {
  name: 'ports',
  summary: 'List serial ports (and why others are left out); --watch reports devices plugged and unplugged.',
  usage: USAGE,
  async run(argv: string[], io: CliIo) {
    const { values } = parseCommandLine(
      argv,
      {
        add: { type: 'string', multiple: true },
        dir: { type: 'string', multiple: true },
        unknown: { type: 'boolean' },
        json: { type: 'boolean' },
        watch: { type: 'boolean' },
      },
      USAGE,
    );
    const options: DiscoveryOptions = {
      userPaths: values.add ?? [],
      userDirs: values.dir ?? [],
      allowUnknownAdapters: values.unknown ?? false,
    };
    if (!values.watch) {
      const result = await discoverPorts(options);
      if (values.json) {
        io.stdout(`${JSON.stringify(result, null, 2)}\n`);
        return 0;
      }
      if (result.listError) io.stdout(`SerialPort.list() failed (${result.listError}); scanned /dev instead.\n`);
      io.stdout(result.ports.length === 0 ? 'No usable serial ports.\n' : `${result.ports.map(describe).join('\n')}\n`);
      for (const filtered of result.filtered) io.stdout(`  left out ${filtered.path}: ${filtered.reason}\n`);
      return 0;
    }
    const watcher = new PortWatcher({ discover: () => discoverPorts(options), intervalMs: 1000 });
    const print = (kind: string, port: DiscoveredPort) =>
      io.stdout(values.json ? `${JSON.stringify({ event: kind, port })}\n` : `${kind.padEnd(7)} ${describe(port)}\n`);
    watcher.on('arrived', (port) => print('arrived', port));
    watcher.on('left', (port) => print('left', port));
    watcher.on('error', (error) => io.stderr(`keyline ports: ${error.message}\n`));
    watcher.start();
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await watcher.stop();
    return 0;
  },
};
