import { KeylineError } from '../../common/errors';
import { decodeToken, formatTokenReport, INSPECT_TOKEN_INPUT_MAX_LENGTH, safeJson } from '../inspect';
import { SecretRedactor } from '../security/secret-redactor';
import type { CliCommand, CliIo } from './commands';
import { readTokenFromStdin } from './token-stdin';

const USAGE = 'keyline inspect token [--json] < token.txt';

const HELP = `usage: ${USAGE}

Decodes a platform token without trusting it: what kind it is (device, application API, user API,
OAuth access), whom it belongs to, what its scopes allow in plain words, when it was issued and
expires, and warnings (expired, expires soon, never expires, broader than needed).

The token is read from standard input, never from the command line: arguments show up in "ps"
and in shell history. Pipe it in (keyline inspect token < token.txt, or from your clipboard tool)
or run the command and paste it at the prompt (it is not shown). Keyline does not log or store it.

Options:
  --json   print the decoded token as JSON (header, claims, kind, subject, scopes, times, warnings)
`;

/**
 * Arguments are checked by hand rather than with parseArgs: its messages quote the offending
 * argument, and a person who pastes a token as an argument must not see it echoed into a log.
 */
function parseArguments(argv: string[]): { json: boolean; help: boolean } {
  const [subcommand, ...rest] = argv;
  if (subcommand === '--help' || subcommand === '-h' || subcommand === undefined) return { json: false, help: true };
  if (subcommand !== 'token') {
    throw new KeylineError('CLI_USAGE', `"inspect" has one subcommand, "token".\nusage: ${USAGE}`);
  }
  let json = false;
  for (const argument of rest) {
    if (argument === '--json') json = true;
    else if (argument === '--help' || argument === '-h') return { json, help: true };
    else {
      throw new KeylineError(
        'CLI_USAGE',
        'Unexpected argument (not shown: it may be a token). Pass the token on standard input, never as an ' +
          `argument: arguments show up in "ps" and in shell history.\nusage: ${USAGE}`,
      );
    }
  }
  return { json, help: false };
}

async function inspectToken(json: boolean, io: CliIo): Promise<number> {
  const text = await readTokenFromStdin(io.stdin, {
    maxLength: INSPECT_TOKEN_INPUT_MAX_LENGTH,
    prompt: (prompt) => io.stderr(prompt),
  });
  // Nothing here logs; the redactor still holds the token while it is decoded, as in the app.
  const decoded = decodeToken(text, { redactor: new SecretRedactor() });
  io.stdout(json ? `${safeJson(decoded)}\n` : formatTokenReport(decoded));
  return 0;
}

export const inspectCommand: CliCommand = {
  name: 'inspect',
  summary: 'Decode a token read from standard input (never an argument): kind, owner, scopes, expiry, warnings.',
  usage: USAGE,
  async run(argv, io) {
    const { json, help } = parseArguments(argv);
    if (help) {
      io.stdout(HELP);
      return 0;
    }
    return inspectToken(json, io);
  },
};
