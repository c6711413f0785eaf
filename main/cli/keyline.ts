/**
 * The `keyline` command line: the same services as the app, for automated lines, scripts and
 * remote support. Each subcommand lives in its own file and is listed here.
 */
import { KeylineError } from '../../common/errors';
import { KEYLINE_VERSION } from '../app/version';
import type { CliCommand, CliIo } from './commands';
import { authCommand } from './auth-command';
import { decommissionCommand } from './decommission-command';
import { diagnoseCommand } from './diagnose-command';
import { inspectCommand } from './inspect-command';
import { journalCommand } from './journal-command';
import { portsCommand } from './ports-command';
import { provisionCommand } from './provision-command';
import { webCommand } from './web-command';

const COMMANDS: CliCommand[] = [
  webCommand,
  authCommand,
  journalCommand,
  provisionCommand,
  portsCommand,
  inspectCommand,
  diagnoseCommand,
  decommissionCommand,
];

function help(io: CliIo): number {
  io.stdout(`keyline ${KEYLINE_VERSION}: provisioning station for IoT devices\n\nCommands:\n`);
  for (const command of COMMANDS) io.stdout(`  ${command.usage}\n      ${command.summary}\n`);
  io.stdout('  keyline --version\n');
  return 0;
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') return help(io);
  if (name === '--version' || name === '-v') {
    io.stdout(`${KEYLINE_VERSION}\n`);
    return 0;
  }
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (!command) {
    io.stderr(`keyline: unknown command "${name}". Run "keyline help".\n`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof KeylineError) {
      io.stderr(`keyline ${name}: ${error.message} [${error.code}]\n`);
      return error.code === 'CLI_USAGE' ? 2 : 1;
    }
    io.stderr(`keyline ${name}: unexpected failure: ${(error as Error).message}\n`);
    return 1;
  }
}
