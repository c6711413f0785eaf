import { KeylineError } from '../../common/errors';
import { InspectError } from '../inspect';

/** A terminal's stdin, as far as hiding typed input goes. */
interface TerminalInput extends NodeJS.ReadableStream {
  isTTY?: boolean;
  setRawMode?: (mode: boolean) => unknown;
}

/** Terminals wrap pasted text in these markers when bracketed paste mode is on. */
// eslint-disable-next-line no-control-regex -- the markers start with ESC.
const BRACKETED_PASTE = /\u001b\[20[01]~/g;

function tooLarge(maxLength: number): InspectError {
  return new InspectError(
    'INSPECT_TOKEN_TOO_LARGE',
    `Standard input is longer than any platform token (over ${Math.floor(maxLength / 1024)} KiB). Pass only the token.`,
  );
}

/** Everything piped in, up to `maxLength` characters (then it stops reading and refuses). */
function readPiped(stdin: NodeJS.ReadableStream, maxLength: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const cleanup = () => {
      stdin.off('data', onData);
      stdin.off('end', onEnd);
      stdin.off('error', onError);
    };
    const onData = (chunk: Buffer | string) => {
      text += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
      if (text.length > maxLength) {
        cleanup();
        stdin.pause();
        reject(tooLarge(maxLength));
      }
    };
    const onEnd = () => {
      cleanup();
      resolve(text);
    };
    const onError = (error: Error) => {
      cleanup();
      reject(new KeylineError('CLI_INPUT', 'Could not read standard input.', { cause: error }));
    };
    stdin.on('data', onData);
    stdin.once('end', onEnd);
    stdin.once('error', onError);
    stdin.resume();
  });
}

/**
 * One line typed or pasted at a terminal, with echo off so the token does not stay on screen or
 * in the terminal's scrollback. Enter or Ctrl-D ends it, Ctrl-C aborts, Backspace deletes.
 */
function readHidden(stdin: TerminalInput & { setRawMode: (mode: boolean) => unknown }, maxLength: number) {
  return new Promise<string>((resolve, reject) => {
    let text = '';
    const finish = (outcome: () => void) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      outcome();
    };
    const onData = (chunk: Buffer | string) => {
      const input = (typeof chunk === 'string' ? chunk : chunk.toString('utf8')).replace(BRACKETED_PASTE, '');
      for (const character of input) {
        if (character === '\r' || character === '\n' || character === '\u0004') return finish(() => resolve(text));
        if (character === '\u0003') {
          return finish(() => reject(new KeylineError('CLI_ABORTED', 'Stopped: no token was read.')));
        }
        if (character === '\u007f' || character === '\b') text = text.slice(0, -1);
        else text += character;
        if (text.length > maxLength) return finish(() => reject(tooLarge(maxLength)));
      }
    };
    stdin.setRawMode(true);
    stdin.on('data', onData);
    stdin.resume();
  });
}

/**
 * Reads a token from standard input, never from the command line (arguments show up in `ps` and
 * in shell history). Piped input is read to its end; at a terminal, one hidden line is read after
 * `prompt` is shown.
 */
export function readTokenFromStdin(
  stdin: NodeJS.ReadableStream,
  options: { maxLength: number; prompt: (text: string) => void },
): Promise<string> {
  const terminal = stdin as TerminalInput;
  if (terminal.isTTY && typeof terminal.setRawMode === 'function') {
    options.prompt('Paste the token and press Enter (it is not shown): ');
    return readHidden(terminal as TerminalInput & { setRawMode: (mode: boolean) => unknown }, options.maxLength);
  }
  return readPiped(stdin, options.maxLength);
}
