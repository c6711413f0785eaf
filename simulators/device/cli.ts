// The device simulator from a terminal:
//   npm run device-sim -- --link PATH [--hwid ID] [--model M] [--platform URL] [--faults SPEC] [--state FILE]
//   npm run device-sim -- --count N --link DIR [--hwid PREFIX] [--state DIR] ...   (N devices: DIR/tty0..)
// Prints one line per device and then "device-sim ready: … control http://127.0.0.1:PORT"; runs
// until SIGINT/SIGTERM. Faults can be changed while it runs through the control URL (control-server.ts).
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startDeviceFarm, startDevices } from './farm';
import { FaultSpecError, parseFaults } from './faults';

const USAGE =
  'usage: device-sim --link PATH [--hwid ID] [--model M] [--fw VERSION] [--platform URL] [--faults SPEC] [--state FILE]\n' +
  '                  [--count N] [--baud RATE] [--chatter MS] [--control-port PORT]';

async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        link: { type: 'string' },
        hwid: { type: 'string' },
        model: { type: 'string' },
        fw: { type: 'string' },
        platform: { type: 'string' },
        faults: { type: 'string' },
        state: { type: 'string' },
        count: { type: 'string' },
        baud: { type: 'string' },
        chatter: { type: 'string' },
        'control-port': { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    console.error(`device-sim: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (!values.link) {
    console.error(`device-sim: --link is required\n${USAGE}`);
    return 2;
  }
  const count = Number(values.count ?? '1');
  const baudRate = Number(values.baud ?? '115200');
  const controlPort = Number(values['control-port'] ?? '0');
  const chatterMs = values.chatter === undefined ? undefined : Number(values.chatter);
  for (const [name, value] of [
    ['count', count],
    ['baud', baudRate],
    ['control-port', controlPort],
  ] as const) {
    if (!Number.isInteger(value) || value < 0 || (name !== 'control-port' && value < 1)) {
      console.error(`device-sim: --${name} must be a whole number\n${USAGE}`);
      return 2;
    }
  }
  try {
    if (values.faults) parseFaults(values.faults);
  } catch (error) {
    if (error instanceof FaultSpecError) {
      console.error(`device-sim: --faults: ${error.message}`);
      return 2;
    }
    throw error;
  }
  const common = {
    model: values.model,
    fw: values.fw,
    platform: values.platform,
    faults: values.faults,
    baudRate,
    chatterMs,
  };
  const farm =
    count === 1
      ? await startDevices(
          [
            {
              ...common,
              link: path.resolve(values.link),
              hwid: values.hwid,
              state: values.state && path.resolve(values.state),
            },
          ],
          { controlPort },
        )
      : await startDeviceFarm(count, {
          ...common,
          linkDir: path.resolve(values.link),
          hwidPrefix: values.hwid ?? 'SIM-',
          stateDir: values.state && path.resolve(values.state),
          controlPort,
        });
  for (const device of farm.devices) {
    const state = device.state();
    console.log(`device-sim: ${state.model} ${state.hwid} at ${device.link}`);
  }
  console.log(`device-sim ready: ${farm.devices.length} device(s), control ${farm.controlUrl}`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await farm.close();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`device-sim: ${(error as Error).message}`);
    process.exit(1);
  },
);
