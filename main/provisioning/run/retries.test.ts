import { describe, expect, it } from 'vitest';
import { KeylineError } from '../../../common/errors';
import type { DeviceTestResult } from '../ports';
import { explainDeviceRefusal } from './device-errors';
import { FakeDevice, harness, type Harness } from './fakes.test-helper';
import { runLane } from './lane-run';
import { deviceTestError } from './verify';
import { transientTestFailure, verifyRetryWaitMs } from './verify-retry';

/**
 * The pipeline's retries of what failed only for a moment (a device test the platform could not
 * answer, a create refused with 429), and the words of a failure that stays.
 */
let h: Harness;
const PORT = '/dev/ttyFAKE0';

function setUp(): { device: FakeDevice; waits: number[] } {
  h = harness();
  const waits: number[] = [];
  h.deps.sleep = async (ms) => void waits.push(ms);
  const device = new FakeDevice(h.platform);
  h.bench.devices.set(PORT, device);
  return { device, waits };
}

/** The device's next tests answer these results (as its firmware would report them), then work again. */
function testsAnswer(device: FakeDevice, results: DeviceTestResult[]): { tests: () => number } {
  let tests = 0;
  const link = device.link.bind(device);
  device.link = (path) => {
    const real = link(path);
    return {
      ...real,
      test: async (request, signal) => {
        tests += 1;
        const next = results.shift();
        return next ?? (await real.test(request, signal));
      },
    };
  };
  return { tests: () => tests };
}

function rateLimited(retryAfterMs?: number): Error {
  return Object.assign(new KeylineError('PLATFORM_RATE_LIMITED', 'The platform is limiting requests (429)'), {
    status: 429,
    outcomeUnknown: false,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  });
}

function deviceRefusal(op: string, deviceCode: string): Error {
  return Object.assign(new KeylineError('SERIAL_DEVICE_ERROR', `the device refused "${op}": ${deviceCode}`), {
    op,
    deviceCode,
  });
}

describe('which device tests are tried again', () => {
  it.each<[string, DeviceTestResult, ReturnType<typeof transientTestFailure>]>([
    ['a 503 on the login', { ok: false, failure: 'auth', authStatus: 503 }, { step: 'auth', cause: 'HTTP 503' }],
    ['a 429 on the login', { ok: false, failure: 'auth', authStatus: 429 }, { step: 'auth', cause: 'HTTP 429' }],
    [
      'no answer to the login',
      { ok: false, failure: 'network', detail: 'TIMEOUT' },
      { step: 'auth', cause: 'TIMEOUT' },
    ],
    [
      'a 502 on the report',
      { ok: false, failure: 'report', authStatus: 200, reportStatus: 502 },
      { step: 'state', cause: 'HTTP 502' },
    ],
    [
      'a cut connection on the report',
      { ok: false, failure: 'network', authStatus: 200, detail: 'CONNECT' },
      { step: 'state', cause: 'CONNECT' },
    ],
    ['a 401 on the login (credentials refused)', { ok: false, failure: 'auth', authStatus: 401 }, undefined],
    ['a 403 on the login', { ok: false, failure: 'auth', authStatus: 403 }, undefined],
    ['a 401 on the report', { ok: false, failure: 'report', authStatus: 200, reportStatus: 401 }, undefined],
    ['no network on the device', { ok: false, failure: 'network', detail: 'NO_NETWORK' }, undefined],
    ['a name that does not resolve', { ok: false, failure: 'network', detail: 'DNS' }, undefined],
    ['a clock not set', { ok: false, failure: 'clock', detail: 'CLOCK_INVALID' }, undefined],
    ['a passed test', { ok: true, authStatus: 200, reportStatus: 200 }, undefined],
  ])('%s', (_what, result, expected) => {
    expect(transientTestFailure(result)).toEqual(expected);
  });

  it('waits the Retry-After the device passes on, within bounds, else a short backoff', () => {
    expect(verifyRetryWaitMs({ ok: false, authStatus: 503 })).toBe(1000);
    expect(verifyRetryWaitMs({ ok: false, authStatus: 429, retryAfterMs: 2000 })).toBe(2000);
    expect(verifyRetryWaitMs({ ok: false, authStatus: 429, retryAfterMs: 60_000 })).toBeUndefined();
  });

  it('says a 5xx on the login is the platform, not the credentials', () => {
    const error = deviceTestError({ ok: false, failure: 'auth', authStatus: 503 }, 'http://p', true);
    expect(error.code).toBe('VERIFY_AUTH_FAILED');
    expect(error.message).toMatch(/platform was unavailable/);
    expect(error.message).toMatch(/Retry: it will probably work/);
    expect(error.message).not.toMatch(/check the device class|key on the platform/);
    const refused = deviceTestError({ ok: false, failure: 'auth', authStatus: 401 }, 'http://p');
    expect(refused.message).toMatch(/refused the device's new credentials/);
  });
});

describe('runLane: a device test the platform failed for a moment', () => {
  it('is tested once more after a backoff, noted, and kept in the step detail', async () => {
    const { device, waits } = setUp();
    const tests = testsAnswer(device, [{ ok: false, failure: 'auth', authStatus: 503 }]);
    const result = await runLane(h.deps, h.input(PORT));
    expect(result.error).toBeUndefined();
    expect(result.outcome).toBe('passed');
    expect(tests.tests()).toBe(2);
    expect(waits).toEqual([1000]);
    expect(result.record.notes.join(' ')).toMatch(/login \(\/auth\/device\) got HTTP 503 .* tested again after 1\.0 s/);
    expect(result.record.steps.find((s) => s.name === 'verify')).toMatchObject({
      status: 'passed',
      detail: { retried: true, retryStep: 'auth', retryCause: 'HTTP 503', retryWaitMs: 1000, retryPassed: true },
    });
    expect(device.slots.active).toBeDefined();
  });

  it("honours the platform's Retry-After when the device reports it", async () => {
    const { device, waits } = setUp();
    testsAnswer(device, [{ ok: false, failure: 'report', authStatus: 200, reportStatus: 429, retryAfterMs: 3000 }]);
    const result = await runLane(h.deps, h.input(PORT));
    expect(result.outcome).toBe('passed');
    expect(waits).toEqual([3000]);
    expect(result.record.notes.join(' ')).toMatch(/state report got HTTP 429 .*3\.0 s \(its Retry-After\)/);
  });

  it('does not wait for a Retry-After longer than a lane should, and says how long to wait', async () => {
    const { device, waits } = setUp();
    const tests = testsAnswer(device, [
      { ok: false, failure: 'report', authStatus: 200, reportStatus: 429, retryAfterMs: 30_000 },
    ]);
    const result = await runLane(h.deps, h.input(PORT));
    expect(result.error?.code).toBe('VERIFY_REPORT_FAILED');
    expect(result.error?.message).toMatch(/wait 30 s/);
    expect(tests.tests()).toBe(1);
    expect(waits).toEqual([]);
  });

  it('fails after the second test with a message that blames the platform, and revokes the key', async () => {
    const { device, waits } = setUp();
    const tests = testsAnswer(device, [
      { ok: false, failure: 'auth', authStatus: 503 },
      { ok: false, failure: 'auth', authStatus: 502 },
    ]);
    const result = await runLane(h.deps, h.input(PORT));
    expect(tests.tests()).toBe(2);
    expect(waits).toEqual([1000]);
    expect(result.error?.code).toBe('VERIFY_AUTH_FAILED');
    expect(result.error?.message).toMatch(/platform was unavailable .*HTTP 502 .*tested twice/);
    expect(result.error?.message).toMatch(/Retry: it will probably work/);
    expect(result.error?.message).toMatch(/holds no credentials, as before; the new key \w+ was revoked\.$/);
    expect(h.platform.activeKeyline()).toEqual([]);
    expect(result.record.steps.find((s) => s.name === 'verify')?.detail).toMatchObject({ retryPassed: false });
  });

  it('never tests again after the platform refused the credentials (401)', async () => {
    const { device, waits } = setUp();
    const tests = testsAnswer(device, [{ ok: false, failure: 'auth', authStatus: 401 }]);
    const result = await runLane(h.deps, h.input(PORT));
    expect(result.error?.code).toBe('VERIFY_AUTH_FAILED');
    expect(result.error?.message).toMatch(/refused the device's new credentials/);
    expect(tests.tests()).toBe(1);
    expect(waits).toEqual([]);
    expect(result.record.steps.find((s) => s.name === 'verify')?.detail).toBeUndefined();
  });

  it('never tests again a device without network', async () => {
    const { device } = setUp();
    device.network = false;
    const tests = testsAnswer(device, []);
    const result = await runLane(h.deps, h.input(PORT));
    expect(result.error?.code).toBe('VERIFY_NO_NETWORK');
    expect(tests.tests()).toBe(1);
  });

  it('ends the backoff at once when the run is stopped', async () => {
    const { device } = setUp();
    delete h.deps.sleep;
    testsAnswer(device, [{ ok: false, failure: 'auth', authStatus: 503 }]);
    const stop = new AbortController();
    h.input(PORT);
    const input = h.input(PORT, {
      signal: stop.signal,
      onProgress: (progress) => {
        if (progress.type === 'note' && /tested again/.test(progress.note)) setTimeout(() => stop.abort(), 20);
      },
    });
    const started = performance.now();
    const result = await runLane(h.deps, input);
    expect(result.error?.code).toBe('RUN_STOPPED');
    expect(performance.now() - started).toBeLessThan(900);
    expect(h.platform.activeKeyline()).toEqual([]);
  });
});

describe('runLane: a create refused with 429', () => {
  it('mints the key after its Retry-After: one key, nothing created twice', async () => {
    const { device, waits } = setUp();
    let refusals = 1;
    h.platform.faults.createKey = () => (refusals-- > 0 ? rateLimited(2000) : undefined);
    const result = await runLane(h.deps, h.input(PORT));
    expect(result.outcome).toBe('passed');
    expect(waits).toEqual([2000]);
    expect([...h.platform.keys.values()]).toHaveLength(1);
    expect(h.platform.calls.filter((call) => call === 'findKeysByName')).toEqual([]);
    expect(result.record.notes.join(' ')).toMatch(/rate-limited the key creation \(429; nothing was created\)/);
    expect(result.record.steps.find((s) => s.name === 'mint')?.detail).toEqual({
      rateLimitRetries: 1,
      rateLimitWaitMs: 2000,
    });
    expect(device.slots.active).toBeDefined();
  });

  it('creates the device after a 429 without a Retry-After, after a short backoff', async () => {
    const { waits } = setUp();
    let refusals = 1;
    h.platform.faults.createDevice = () => (refusals-- > 0 ? rateLimited() : undefined);
    const result = await runLane(h.deps, h.input(PORT));
    expect(result.outcome).toBe('passed');
    expect(waits).toEqual([1000]);
    expect([...h.platform.devices.values()]).toHaveLength(1);
  });

  it('gives up after two retries and leaves nothing behind', async () => {
    const { waits } = setUp();
    h.platform.faults.createKey = () => rateLimited(1000);
    const result = await runLane(h.deps, h.input(PORT));
    expect(result.error?.code).toBe('PLATFORM_RATE_LIMITED');
    expect(waits).toEqual([1000, 1000]);
    expect(h.platform.calls.filter((call) => call === 'createKey')).toHaveLength(3);
    expect(h.platform.keys.size).toBe(0);
    expect(await h.journal.unfinishedIntents()).toEqual([]);
  });

  it('does not wait for a Retry-After beyond the bound', async () => {
    const { waits } = setUp();
    h.platform.faults.createKey = () => rateLimited(10_000);
    const result = await runLane(h.deps, h.input(PORT));
    expect(result.error?.code).toBe('PLATFORM_RATE_LIMITED');
    expect(waits).toEqual([]);
  });

  it('never retries a create that may have happened (5xx): it looks the key up by its run name first', async () => {
    setUp();
    let lost = 1;
    h.platform.lostAfter.createKey = () =>
      lost-- > 0
        ? Object.assign(new KeylineError('PLATFORM_UNAVAILABLE', 'The platform failed (500)'), {
            status: 500,
            outcomeUnknown: true,
          })
        : undefined;
    const result = await runLane(h.deps, h.input(PORT));
    expect(result.outcome).toBe('passed');
    const calls = h.platform.calls.filter((call) => call === 'createKey' || call === 'findKeysByName');
    expect(calls).toEqual(['createKey', 'findKeysByName', 'createKey']);
    expect(h.platform.activeKeyline()).toHaveLength(1);
  });
});

describe('what became of the credentials, in the message', () => {
  it('names the key by its run name when a lost create left no id', async () => {
    setUp();
    h.platform.lostAfter.createKey = () =>
      Object.assign(new KeylineError('PLATFORM_UNAVAILABLE', 'The connection was lost'), { outcomeUnknown: true });
    const result = await runLane(h.deps, h.input(PORT));
    expect(result.error?.code).toBe('PLATFORM_UNAVAILABLE');
    expect(result.error?.message).toMatch(/The device was not changed; any key named keyline-run-1 was revoked\.$/);
    expect(h.platform.activeKeyline()).toEqual([]);
  });

  it('adds nothing to a failure before any key existed', async () => {
    setUp();
    h.platform.faults.findDevicesByTag = () => new KeylineError('PLATFORM_UNAVAILABLE', 'The platform failed (503)');
    const result = await runLane(h.deps, h.input(PORT));
    expect(result.error).toEqual({ code: 'PLATFORM_UNAVAILABLE', message: 'The platform failed (503)' });
  });
});

describe('device refusals in plain words', () => {
  it.each([
    [
      'stage',
      'stage',
      'FLASH_WRITE_FAILED',
      'STAGE_FAILED',
      /refused to store the new credentials .*could not write its flash/,
    ],
    [
      'commit',
      'commit',
      'COMMIT_PENDING',
      'COMMIT_FAILED',
      /refused to make the new credentials active: an earlier commit/,
    ],
    ['commit', 'confirm', 'FLASH_WRITE_FAILED', 'COMMIT_FAILED', /refused to confirm the new credentials/],
    [
      'verify',
      'test',
      'NO_STAGED',
      'DEVICE_REFUSED',
      /refused to test the new credentials .*held no staged credentials/,
    ],
    ['identify', 'hello', 'BUSY', 'DEVICE_REFUSED', /refused to say which unit it is/],
  ] as const)('during %s, %s refused with %s', (step, op, deviceCode, code, words) => {
    const explained = explainDeviceRefusal(step, deviceRefusal(op, deviceCode));
    expect(explained?.code).toBe(code);
    expect(explained?.message).toMatch(words);
    expect(explained?.message).toContain(`device code ${deviceCode}`);
  });

  it("keeps the device's own words, as the serial client escaped them", () => {
    const refusal = Object.assign(
      new KeylineError(
        'SERIAL_DEVICE_ERROR',
        '/dev/ttyUSB0: the device refused "stage": FLASH_WRITE_FAILED, "bad sector \\x1b[2J near 0x40". The device could not write its flash.',
      ),
      { op: 'stage', deviceCode: 'FLASH_WRITE_FAILED' },
    );
    expect(explainDeviceRefusal('stage', refusal)?.happened).toBe(
      'The device refused to store the new credentials in its staging slot: it could not write its flash memory ' +
        '(device code FLASH_WRITE_FAILED; it said "bad sector \\x1b[2J near 0x40")',
    );
  });

  it('finds the refusal a step wrapped, and leaves other errors alone', () => {
    const wrapped = new KeylineError('STAGE_FAILED', 'could not store', { cause: deviceRefusal('stage', 'BUSY') });
    expect(explainDeviceRefusal('stage', wrapped)?.advice).toBe('Retry in a moment');
    expect(explainDeviceRefusal('stage', new KeylineError('SERIAL_TIMEOUT', 'no reply'))).toBeUndefined();
  });

  it("never repeats a device's code that is not a plain word", () => {
    const explained = explainDeviceRefusal('verify', deviceRefusal('test', 'x\u001b[31m<script>'));
    expect(explained?.message).toContain('device code unknown');
    expect(explained?.message).not.toContain('script');
  });

  it('a confirm the flash refuses: rolled back, old key still works, new key revoked, and what to do', async () => {
    const { device } = setUp();
    const platformDevice = h.platform.addDevice({ hwid: device.hwid });
    const old = h.platform.addKey({ name: 'keyline-earlier', deviceIds: [platformDevice.id] });
    device.provision(platformDevice.id, old);
    device.faults.confirm = () => deviceRefusal('confirm', 'FLASH_WRITE_FAILED');
    const result = await runLane(h.deps, h.input(PORT));
    expect(result.outcome).toBe('failed');
    expect(result.error?.code).toBe('COMMIT_FAILED');
    const message = result.error!.message;
    expect(message).toMatch(/^The device refused to confirm the new credentials it had just made active: it could not/);
    expect(message).toMatch(/runs on its previous credentials again; its old key \w+ was not touched and still works/);
    expect(message).toMatch(/the new key \w+ was revoked\. Retry once; if it fails again, .*set the unit aside\.$/);
    expect(device.slots.active?.accessKey).toBe(old.key);
    expect(h.platform.keys.get(old.id)?.status).toBe('active');
    expect(h.platform.activeKeyline()).toEqual([old.id]);
  });
});
