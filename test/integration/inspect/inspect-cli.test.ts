/**
 * The built `keyline inspect token` as a script or a support person runs it: a real process, the
 * token on a real pipe.
 */
import { execFile, spawn } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { DecodedToken } from '../../../common/contract/inspect';
import { mintDeviceToken, mintOauthAccessToken } from './mint-tokens';

const root = path.resolve(__dirname, '../../..');
const cli = path.join(root, 'dist/cli/keyline.cjs');

beforeAll(async () => {
  await promisify(execFile)(process.execPath, ['scripts/build.mjs', '--if-stale'], { cwd: root });
}, 180_000);

function keyline(
  args: string[],
  input: string | Buffer,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    // The process may stop reading early (oversized input): a broken pipe is expected then.
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}

describe('keyline inspect token (built CLI)', () => {
  it('decodes a device token piped in, and says it never expires', async () => {
    const token = await mintDeviceToken(Date.now());
    const { code, stdout, stderr } = await keyline(['inspect', 'token'], `${token}\n`);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Device token \(signature not verified\)/);
    expect(stdout).toMatch(/Expires: {4}Never/);
    expect(stdout).toMatch(/authenticates with its access key and secret at every boot/);
    expect(stdout).not.toContain(token);
    expect(stdout).not.toContain(token.split('.')[2]);
  });

  it('prints JSON for scripts', async () => {
    const token = await mintOauthAccessToken(Date.now(), 3600);
    const { code, stdout } = await keyline(['inspect', 'token', '--json'], token);
    expect(code).toBe(0);
    const decoded = DecodedToken.parse(JSON.parse(stdout));
    expect(decoded).toMatchObject({ kind: 'oauthAccess', times: { status: 'expiresSoon' } });
    expect(stdout).not.toContain(token);
  });

  it('exits 2 without echoing a token given as an argument', async () => {
    const token = await mintDeviceToken(Date.now());
    const { code, stdout, stderr } = await keyline(['inspect', 'token', token], '');
    expect(code).toBe(2);
    expect(stderr).toMatch(/never as an argument/);
    expect(stdout + stderr).not.toContain(token.slice(0, 24));
  });

  it('exits 1 with a typed error for garbage, and stops reading oversized input', async () => {
    const garbage = await keyline(['inspect', 'token'], Buffer.from([0, 1, 2, 255, 254, 60, 62]));
    expect(garbage.code).toBe(1);
    expect(garbage.stderr).toMatch(/\[INSPECT_NOT_A_TOKEN\]/);
    const huge = await keyline(['inspect', 'token'], 'A'.repeat(4 * 1024 * 1024));
    expect(huge.code).toBe(1);
    expect(huge.stderr).toMatch(/\[INSPECT_TOKEN_TOO_LARGE\]/);
  });
});
