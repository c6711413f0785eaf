import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { DecodedToken } from '../../common/contract/inspect';
import { handMadeJwt, mintApplicationApiToken, mintDeviceToken } from '../../test/integration/inspect/mint-tokens';
import type { CliIo } from './commands';
import { runCli } from './keyline';
import { readTokenFromStdin } from './token-stdin';

async function run(argv: string[], stdin: NodeJS.ReadableStream) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    env: {},
    stdin,
    isTTY: false,
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

const piped = (text: string) => Readable.from([Buffer.from(text)]);
/** What a terminal would act on: ESC, the one-byte CSI, a right-to-left override. */
const hasTerminalControls = (text: string) => ['\u001b', '\u009b', '\u202e'].some((c) => text.includes(c));

describe('keyline inspect token', () => {
  it('prints what a device token is, and its warnings, from standard input', async () => {
    const token = await mintDeviceToken(Date.now());
    const { code, stdout, stderr } = await run(['inspect', 'token'], piped(`${token}\n`));
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Device token \(signature not verified\)/);
    expect(stdout).toMatch(/\[warning\] Never expires/);
    expect(stdout).toMatch(/\+ Report device state, for its own device only/);
    expect(stdout + stderr).not.toContain(token);
    expect(stdout).not.toContain(token.split('.')[2]);
  });

  it('prints JSON with --json', async () => {
    const token = await mintApplicationApiToken(Date.now(), ['all.Application']);
    const { code, stdout } = await run(['inspect', 'token', '--json'], piped(token));
    expect(code).toBe(0);
    const parsed = DecodedToken.parse(JSON.parse(stdout));
    expect(parsed.kind).toBe('applicationApi');
    expect(parsed.warnings.map((warning) => warning.code)).toContain('BROADER_THAN_NEEDED');
  });

  it('refuses a token passed as an argument without echoing it', async () => {
    const token = await mintDeviceToken(Date.now());
    const { code, stdout, stderr } = await run(['inspect', 'token', token], piped(''));
    expect(code).toBe(2);
    expect(stderr).toMatch(/standard input/);
    expect(stdout + stderr).not.toContain(token);
    expect(stdout + stderr).not.toContain(token.slice(0, 20));
    const flag = await run(['inspect', 'token', `--token=${token}`], piped(''));
    expect(flag.code).toBe(2);
    expect(flag.stdout + flag.stderr).not.toContain(token.slice(0, 20));
  });

  it('gives a typed error for input that is not a token', async () => {
    const html = await run(['inspect', 'token'], piped('<!doctype html><title>502 Bad Gateway</title>'));
    expect(html).toMatchObject({ code: 1, stdout: '' });
    expect(html.stderr).toMatch(/\[INSPECT_NOT_A_TOKEN\]/);
    const empty = await run(['inspect', 'token'], piped(''));
    expect(empty.stderr).toMatch(/\[INSPECT_TOKEN_EMPTY\]/);
  });

  it('stops reading input larger than any token', async () => {
    const { code, stderr } = await run(['inspect', 'token'], piped('A'.repeat(1024 * 1024)));
    expect(code).toBe(1);
    expect(stderr).toMatch(/\[INSPECT_TOKEN_TOO_LARGE\]/);
  });

  it('shows hostile claims escaped, so they cannot drive the terminal or forge lines', async () => {
    const token = handMadeJwt(
      { alg: 'ES256' },
      { sub: 'abc\nExpires:    never\u001b[2J', subtype: 'apiToken', note: '\u009b31m\u202etxt.exe' },
      'c2lnbmF0dXJl',
    );
    const { stdout } = await run(['inspect', 'token'], piped(token));
    expect(hasTerminalControls(stdout)).toBe(false);
    expect(stdout).toContain('abc\\nExpires:    never\\u001b[2J');
    expect(stdout.split('\n').filter((line) => line.startsWith('Expires:'))).toHaveLength(1);
    const json = await run(['inspect', 'token', '--json'], piped(token));
    expect(hasTerminalControls(json.stdout)).toBe(false);
    expect(JSON.parse(json.stdout).claims.note).toBe('\u009b31m\u202etxt.exe');
  });

  it('explains itself with --help, including why the token is never an argument', async () => {
    const { code, stdout } = await run(['inspect', '--help'], piped(''));
    expect(code).toBe(0);
    expect(stdout).toMatch(/shell history/);
    expect((await run(['inspect', 'keys'], piped(''))).code).toBe(2);
  });
});

/** A stand-in for a terminal's stdin: raw mode recorded, keystrokes pushed by the test. */
function fakeTerminal() {
  const stream = new PassThrough() as PassThrough & { isTTY: boolean; setRawMode: (mode: boolean) => void };
  const modes: boolean[] = [];
  stream.isTTY = true;
  stream.setRawMode = (mode) => void modes.push(mode);
  return { stream, modes };
}

describe('reading a token at a terminal', () => {
  it('reads one hidden line, with Backspace and bracketed paste, and restores the terminal', async () => {
    const { stream, modes } = fakeTerminal();
    let prompt = '';
    const reading = readTokenFromStdin(stream, { maxLength: 100, prompt: (text) => (prompt += text) });
    stream.write('\u001b[200~eyJabc.def.ghx\u001b[201~');
    stream.write('\u007fi\r');
    await expect(reading).resolves.toBe('eyJabc.def.ghi');
    expect(prompt).toMatch(/not shown/);
    expect(modes).toEqual([true, false]);
  });

  it('stops on Ctrl-C without reading a token', async () => {
    const { stream, modes } = fakeTerminal();
    const reading = readTokenFromStdin(stream, { maxLength: 100, prompt: () => undefined });
    stream.write('eyJpartial\u0003');
    await expect(reading).rejects.toMatchObject({ code: 'CLI_ABORTED' });
    expect(modes).toEqual([true, false]);
  });

  it('refuses more than a token can hold', async () => {
    const { stream, modes } = fakeTerminal();
    const reading = readTokenFromStdin(stream, { maxLength: 10, prompt: () => undefined });
    stream.write('x'.repeat(11));
    await expect(reading).rejects.toMatchObject({ code: 'INSPECT_TOKEN_TOO_LARGE' });
    expect(modes).toEqual([true, false]);
  });
});
