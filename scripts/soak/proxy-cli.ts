/**
 * The soak's faulty proxy as its own process, so the station's memory and CPU figures are its own:
 *   tsx scripts/soak/proxy-cli.ts --target URL --rate R --seed N
 * Prints "proxy ready on URL"; runs until SIGTERM.
 */
import { parseArgs } from 'node:util';
import { startFaultyProxy } from './faulty-proxy';

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      target: { type: 'string' },
      rate: { type: 'string', default: '0' },
      seed: { type: 'string', default: '1' },
    },
  });
  if (!values.target) throw new Error('--target is required');
  const proxy = await startFaultyProxy({ target: values.target, rate: Number(values.rate), seed: Number(values.seed) });
  process.stdout.write(`proxy ready on ${proxy.url}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  await proxy.close();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`proxy: ${(error as Error).message}\n`);
    process.exit(1);
  },
);
