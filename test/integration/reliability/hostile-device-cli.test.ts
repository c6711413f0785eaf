/**
 * A lying device through the whole pipeline and `keyline provision` (real pty, platform simulator
 * over HTTP, the real journal): terminal escapes in its hello are refused before any key exists,
 * and terminal escapes in its error messages reach the technician's terminal as visible text,
 * never as control sequences. Markup in a model name is data: it is shown, as text.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { provisionInProcess, startPlatform, type Platform } from '../provisioning/harness';
import { EMPTY_SLOTS, helloReply, reply, startHostileDevice, type Answer, type HostileDevice } from './hostile-device';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

// eslint-disable-next-line no-control-regex -- the point is to find control characters.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

let platform: Platform;
let device: HostileDevice | undefined;
let dataDir: string;

beforeAll(async () => {
  platform = await startPlatform();
});
afterAll(async () => {
  await platform?.close();
});
afterEach(async () => {
  await device?.close();
  device = undefined;
  await rm(dataDir, { recursive: true, force: true });
  await platform.reset();
});

async function provision(answer: Answer, json: boolean) {
  device = await startHostileDevice(answer);
  dataDir = await mkdtemp(path.join(tmpdir(), 'keyline-hostile-cli-'));
  return provisionInProcess(
    [
      '--api',
      platform.url,
      '--app',
      platform.seed.applicationId,
      '--port',
      device.link,
      '--data-dir',
      dataDir,
      '--if-provisioned',
      'skip',
      '--device-log',
      ...(json ? ['--json'] : []),
    ],
    { KEYLINE_TOKEN: platform.seed.apiToken },
  );
}

async function keylineKeys(): Promise<number> {
  return (await platform.keys()).filter((key) => key.name?.startsWith('keyline-')).length;
}

describe('keyline provision against a lying device', () => {
  it.each([
    ['model', { model: 'KL\u001b]0;pwned\u0007-X' }],
    ['hwid', { hwid: 'HW\u001b[2J1' }],
    ['firmware', { fw: '1.0\u009b31m' }],
  ])('refuses terminal escapes in the %s before any key exists', async (_field, fields) => {
    const run = await provision(({ op, id }) => (op === 'hello' ? [reply(id, helloReply(fields))] : []), true);
    expect(run.code).toBe(1);
    expect(run.lines).toHaveLength(1);
    expect(run.lines[0]).toMatchObject({ outcome: 'failed', error: { code: 'DEVICE_BAD_HELLO' } });
    expect(await keylineKeys()).toBe(0);
    expect(run.stdout + run.stderr).not.toMatch(CONTROL);
  });

  it('prints a device error full of terminal escapes as visible text, and revokes the key', async () => {
    const run = await provision(({ op, id }) => {
      if (op === 'hello') return [reply(id, helloReply({ hwid: 'HOSTILE-CLI-1' }))];
      if (op === 'stage')
        return [
          reply(id, {
            ok: false,
            error: { code: 'FLASH_WRITE_FAILED', message: '\u001b[2J\u001b[1;1Hall devices PASSED\u0007' },
          }),
        ];
      if (op === 'discard') return [reply(id, { ok: true, slots: EMPTY_SLOTS })];
      return [];
    }, false);
    expect(run.code).toBe(1);
    const shown = run.stdout + run.stderr;
    expect(shown).not.toMatch(CONTROL);
    expect(shown).toContain('\\x1b[2J\\x1b[1;1Hall devices PASSED\\x07');
    const keys = (await platform.keys()).filter((key) => key.name?.startsWith('keyline-'));
    expect(keys.every((key) => key.status !== 'active')).toBe(true);
  });

  it('keeps markup in a model name as plain data in the JSON line and the device name', async () => {
    const model = '<img src=x onerror=alert(1)>';
    const run = await provision(({ op, id }) => {
      if (op === 'hello') return [reply(id, helloReply({ model, hwid: 'HOSTILE-CLI-2' }))];
      if (op === 'discard') return [reply(id, { ok: true, slots: EMPTY_SLOTS })];
      return [reply(id, { ok: false, error: { code: 'FLASH_WRITE_FAILED', message: 'worn out' } })];
    }, true);
    // The unit cannot stage, so the run fails after mint; what matters here is the text.
    expect(run.lines[0]).toMatchObject({ model });
    expect(run.stdout).toContain(JSON.stringify(model).slice(1, -1));
  });
});
