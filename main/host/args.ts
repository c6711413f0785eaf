import { parseArgs } from 'node:util';
import { KeylineError } from '../../common/errors';

type ParseArgsOptions = NonNullable<Parameters<typeof parseArgs>[0]>['options'];

/** Strict command-line parsing: an unknown flag is an error with the usage line, never ignored. */
export function parseCommandLine<T extends NonNullable<ParseArgsOptions>>(
  argv: string[],
  options: T,
  usage: string,
): {
  values: ReturnType<typeof parseArgs<{ options: T; strict: true; allowPositionals: true }>>['values'];
  positionals: string[];
} {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: true });
  } catch (error) {
    throw new KeylineError('CLI_USAGE', `${(error as Error).message}\nusage: ${usage}`, { cause: error });
  }
}

export function parsePort(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new KeylineError('CLI_USAGE', `--port must be a number from 0 to 65535, not "${value}"`);
  }
  return port;
}
