/**
 * The inspector as the composition root wires it: `composeStation` with the inspector's platform
 * from KEYLINE_INSPECT_API_URL / KEYLINE_INSPECT_TOKEN, called through the dispatcher the hosts
 * use, with every log line captured at the most verbose level.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeStation, type Station } from '../../../main/host/compose';
import { createLogger } from '../../../main/host/logger';
import { startPlatformSimulator, type RunningPlatformSimulator } from '../../../simulators/platform';

const logLines: string[] = [];
let sim: RunningPlatformSimulator;
let station: Station;
let dataDir: string;

beforeAll(async () => {
  sim = await startPlatformSimulator({ port: 0, host: '127.0.0.1' });
  dataDir = await mkdtemp(path.join(tmpdir(), 'keyline-inspect-station-'));
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      logLines.push(String(chunk));
      callback();
    },
  });
  station = await composeStation({
    host: 'web',
    dataDir,
    logger: createLogger({ level: 'trace', destination }),
    inspect: { env: { KEYLINE_INSPECT_API_URL: sim.url, KEYLINE_INSPECT_TOKEN: sim.seed.apiToken } },
  });
}, 30_000);
afterAll(async () => {
  await station?.close();
  await sim?.close();
  await rm(dataDir, { recursive: true, force: true });
});

const call = (method: string, args: unknown) => station.dispatch(method, args, { host: 'web' });

describe('the inspector in the composed station', () => {
  it("runs lookups as the host's inspector token, never showing it", async () => {
    const access = await call('inspect.access', {});
    expect(access).toMatchObject({
      ok: true,
      value: { source: 'apiToken', apiUrl: sim.url, application: { id: sim.seed.applicationId }, readOnly: false },
    });
    const keys = await call('inspect.keys.list', {});
    expect(keys.ok).toBe(true);
    expect(JSON.stringify([access, keys])).not.toContain(sim.seed.apiToken);
  });

  it('journals an action in the data directory and logs it without the token', async () => {
    const key = sim.seed.accessKeys.find((candidate) => candidate.name?.startsWith('Workshop'))!;
    const target = { kind: 'accessKey', applicationId: sim.seed.applicationId, id: key.id };
    const done = await call('inspect.action.run', { target, action: 'deactivate' });
    expect(done).toMatchObject({ ok: true, value: { outcome: 'done', journaled: true } });
    expect(await call('inspect.action.run', { target, action: 'reactivate' })).toMatchObject({ ok: true });
    const log = logLines.join('');
    expect(log).toContain('inspector action');
    expect(log).not.toContain(sim.seed.apiToken.split('.')[2]!);
  });

  it('refuses arguments outside the contract before anything is opened or called', async () => {
    expect(await call('inspect.device.serial', { port: 'ttyUSB0' })).toMatchObject({
      ok: false,
      error: { code: 'CONTRACT_INVALID_ARGUMENT' },
    });
    expect(await call('inspect.diagnose', {})).toMatchObject({
      ok: false,
      error: { code: 'CONTRACT_INVALID_ARGUMENT' },
    });
    expect(
      await call('inspect.action.run', { target: { kind: 'accessKey', id: 'x' }, action: 'deactivate' }),
    ).toMatchObject({ ok: false, error: { code: 'CONTRACT_INVALID_ARGUMENT' } });
  });

  it('a port that is not there is a typed serial error, not a crash', async () => {
    const answer = await call('inspect.diagnose', { port: path.join(dataDir, 'no-such-tty') });
    expect(answer).toMatchObject({ ok: false, error: { code: expect.stringMatching(/^SERIAL_/) } });
  });

  it('one inspector variable without the other stops the station at start', async () => {
    await expect(
      composeStation({ host: 'web', dataDir, inspect: { env: { KEYLINE_INSPECT_TOKEN: 'x'.repeat(40) } } }),
    ).rejects.toMatchObject({ code: 'INSPECT_ENV_INCOMPLETE' });
  });
});
