/** Process entry of the web host bundle (`dist/main/web-main.cjs`). */
import { KeylineError } from '../../common/errors';
import { runWebHost } from './web-main';

runWebHost(process.argv.slice(2)).catch((error: unknown) => {
  const message = error instanceof KeylineError ? error.message : String(error);
  process.stderr.write(`keyline: ${message}\n`);
  process.exit(error instanceof KeylineError && error.code === 'CLI_USAGE' ? 2 : 1);
});
