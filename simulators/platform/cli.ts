import { parseArgs } from 'node:util';
import { startPlatformSimulator } from './server';

const USAGE =
  'usage: npm run platform -- [--port N] [--host 127.0.0.1] [--data DIR] [--seed demo|FILE] [--missing-scope-status 401|403] [--access-token-ttl SECONDS]';

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

function positiveInteger(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < min || number > max)
    fail(`--${name} must be a number from ${min} to ${max}`);
  return number;
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(2),
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        data: { type: 'string' },
        seed: { type: 'string' },
        'missing-scope-status': { type: 'string' },
        'access-token-ttl': { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    fail((error as Error).message);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const missingScopeStatus = positiveInteger('missing-scope-status', values['missing-scope-status'], 401, 403);
  if (missingScopeStatus !== undefined && missingScopeStatus !== 401 && missingScopeStatus !== 403) {
    fail('--missing-scope-status must be 401 or 403');
  }
  const simulator = await startPlatformSimulator({
    port: positiveInteger('port', values.port, 0, 65535) ?? 0,
    host: values.host ?? '127.0.0.1',
    ...(values.data ? { dataDir: values.data } : {}),
    seed: values.seed ?? 'demo',
    ...(missingScopeStatus ? { missingScopeStatus: missingScopeStatus as 401 | 403 } : {}),
    ...(values['access-token-ttl']
      ? { accessTokenTtlSeconds: positiveInteger('access-token-ttl', values['access-token-ttl'], 1, 86_400 * 365) }
      : {}),
  });
  process.stdout.write(`platform listening on ${simulator.url}\n`);
  process.stdout.write(`seed: GET ${simulator.url}/__sim/seed (organization "${simulator.seed.orgName}")\n`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    simulator.close().then(
      () => process.exit(0),
      (error: Error) => {
        process.stderr.write(`platform simulator: could not save state on ${signal}: ${error.message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: Error) => {
  process.stderr.write(`platform simulator failed to start: ${error.message}\n`);
  process.exit(1);
});
