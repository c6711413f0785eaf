import { execFileSync } from 'node:child_process';
import { access, chmod, constants, mkdtemp, realpath, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SerialError, SerialLink } from '../../../main/serial';
import { SecretRedactor } from '../../../main/security/secret-redactor';
import { startPtyPair, type PtyPair } from '../../../simulators/device/pty-pair';

/**
 * A real EACCES needs a user the kernel refuses: CI runs as root, so .ci/run creates `keyline-ci`
 * (outside dialout) and runs this file as that user with KEYLINE_REQUIRE_UNPRIVILEGED=1, which
 * turns "cannot run here" into a failure instead of a skip.
 */
const required = process.env['KEYLINE_REQUIRE_UNPRIVILEGED'] === '1';
const user = os.userInfo().username;
const groups = (() => {
  try {
    return execFileSync('id', ['-Gn'], { encoding: 'utf8' }).trim().split(/\s+/);
  } catch {
    return [];
  }
})();
const why =
  process.platform !== 'linux'
    ? 'not Linux'
    : process.getuid?.() === 0
      ? 'running as root, which no permission stops'
      : groups.includes('dialout')
        ? `user ${user} is in the dialout group`
        : undefined;

if (why && !required) {
  console.log(`permissions.test.ts skipped: ${why}. CI runs it as the unprivileged user keyline-ci (see .ci/run).`);
}

describe.runIf(!why || required)('opening a port without permission (as an unprivileged user)', () => {
  let dir: string;
  let pair: PtyPair;

  beforeAll(async () => {
    if (why) throw new Error(`KEYLINE_REQUIRE_UNPRIVILEGED=1 but this cannot run here: ${why}`);
    dir = await mkdtemp(path.join(os.tmpdir(), 'keyline-perm-'));
    pair = await startPtyPair(path.join(dir, 'ttyUSB-like'), path.join(dir, 'device-end'));
    // What a tty owned by root:dialout looks like to someone outside dialout: no access at all.
    await chmod(await realpath(pair.stationLink), 0o000);
  });

  afterAll(async () => {
    await pair?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('is really refused by the kernel (the test can fail)', async () => {
    await expect(access(pair.stationLink, constants.R_OK | constants.W_OK)).rejects.toMatchObject({ code: 'EACCES' });
  });

  it('gives SERIAL_PERMISSION_DENIED with the dialout command and the udev rule', async () => {
    let error: unknown;
    try {
      const link = await SerialLink.open({ path: pair.stationLink, redactor: new SecretRedactor() });
      await link.close();
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SerialError);
    const serial = error as SerialError;
    expect(serial.code).toBe('SERIAL_PERMISSION_DENIED');
    expect(serial.message).toContain(`sudo usermod -aG dialout ${user}`);
    expect(serial.message).toContain('log out and back in');
    expect(serial.message).toContain('/etc/udev/rules.d/');
  });

  it('names the real group of a root-owned serial device it cannot open, when the machine has one', async (context) => {
    const candidates = ['/dev/ttyS0', '/dev/ttyS1', '/dev/ttyUSB0', '/dev/ttyACM0'];
    let target: string | undefined;
    for (const candidate of candidates) {
      const info = await stat(candidate).catch(() => undefined);
      if (!info || info.uid !== 0) continue;
      if (
        await access(candidate, constants.R_OK | constants.W_OK).then(
          () => false,
          () => true,
        )
      ) {
        target = candidate;
        break;
      }
    }
    if (!target) {
      context.skip('no root-owned serial device node on this machine');
      return;
    }
    const error = await SerialLink.open({ path: target, redactor: new SecretRedactor() }).then(
      async (link) => {
        await link.close();
        return undefined;
      },
      (caught: unknown) => caught as SerialError,
    );
    expect(error?.code).toBe('SERIAL_PERMISSION_DENIED');
    expect(error?.message).toMatch(/sudo usermod -aG (dialout|uucp|plugdev|serial) /);
  });
});
