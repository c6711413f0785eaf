/** Process entry of the CLI bundle (`dist/cli/keyline.cjs`). */
import { runCli } from './keyline';

runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  stdin: process.stdin,
  isTTY: Boolean(process.stdout.isTTY),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`keyline: ${(error as Error).message}\n`);
    process.exitCode = 1;
  },
);
