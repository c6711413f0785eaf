import { NONCE_ATTRIBUTE } from '../../../common/contract/provisioning';
import { ProvisioningError } from '../errors';
import { newNonce } from '../run-id';
import type { DeviceTestResult } from '../ports';
import { isUnauthorized } from '../platform-errors';
import { backoff, note, stepDetail, type RunContext } from './context';
import { transientTestFailure, verifyRetryWaitMs } from './verify-retry';
import { sleep } from './wait';

const LOST_TEST_REPLY = new Set(['SERIAL_CRC', 'SERIAL_TIMEOUT', 'SERIAL_DEVICE_RESET', 'SERIAL_BAD_REPLY']);

const NETWORK_DETAIL: Record<string, string> = {
  NO_NETWORK: 'no network link',
  DNS: 'the host name did not resolve',
  CONNECT: 'the connection was refused',
  TLS: 'the TLS handshake failed',
  TIMEOUT: 'no answer within 10 s',
};

/** What a device's step code means, in a note (a status is shown as it is: "HTTP 503"). */
const MOMENTARY_WORDS: Record<string, string> = {
  TIMEOUT: 'no answer within 10 s',
  CONNECT: 'a refused or cut connection',
};

const seconds = (ms: number) => `${Math.max(1, Math.ceil(ms / 1000))} s`;

/** The lane's error for a failed device test; `retried` says the test already ran twice. */
export function deviceTestError(result: DeviceTestResult, apiUrl: string, retried = false): ProvisioningError {
  const twice = retried ? ', tested twice' : '';
  if (result.failure === 'clock') {
    return new ProvisioningError(
      'VERIFY_CLOCK_INVALID',
      "The device's clock is not set, so it cannot check the platform's certificate: give it network time (NTP) " +
        'or set its clock, then retry',
    );
  }
  if (result.failure === 'network') {
    const why = NETWORK_DETAIL[result.detail ?? ''] ?? 'it has no working network';
    const momentary = result.detail === 'TIMEOUT' || result.detail === 'CONNECT';
    return new ProvisioningError(
      'VERIFY_NO_NETWORK',
      `The device could not reach the platform at ${apiUrl} (${why}${twice}): ` +
        (momentary
          ? 'the platform or the network may be briefly overloaded: retry; if it repeats, check the network ' +
            '(cable, Wi-Fi, firewall), or use verification mode "station" on a bench without network'
          : 'check its network (cable, Wi-Fi, firewall), or use verification mode "station" on a bench without network'),
    );
  }
  const { authStatus, reportStatus, retryAfterMs } = result;
  if (authStatus !== undefined && authStatus >= 500) {
    return new ProvisioningError(
      'VERIFY_AUTH_FAILED',
      `The platform was unavailable when the device logged in with its new credentials (HTTP ${authStatus} on ` +
        `/auth/device${twice}): the credentials were not rejected, the platform failed to answer. Retry: it will ` +
        "probably work; if it keeps failing, check the platform's status",
    );
  }
  if (authStatus === 429) {
    return new ProvisioningError(
      'VERIFY_AUTH_FAILED',
      `The platform rate-limited the device's login (HTTP 429 on /auth/device${twice}): the credentials were not ` +
        `rejected. Wait ${retryAfterMs !== undefined ? seconds(retryAfterMs) : '15 seconds'} and retry`,
    );
  }
  if (result.failure === 'auth' || (authStatus !== undefined && authStatus !== 200)) {
    return new ProvisioningError(
      'VERIFY_AUTH_FAILED',
      `The platform refused the device's new credentials (HTTP ${authStatus ?? 'error'} on /auth/device): ` +
        'check the device class and the key on the platform, then retry',
    );
  }
  if (reportStatus === 429) {
    return new ProvisioningError(
      'VERIFY_REPORT_FAILED',
      `The platform rate-limited the device's state report (HTTP 429${twice}): wait ` +
        `${retryAfterMs !== undefined ? seconds(retryAfterMs) : '15 seconds'} and retry`,
    );
  }
  if (reportStatus !== undefined && reportStatus >= 500) {
    return new ProvisioningError(
      'VERIFY_REPORT_FAILED',
      `The device logged in with its new credentials, but the platform was unavailable for its state report ` +
        `(HTTP ${reportStatus}${twice}): retry: it will probably work`,
    );
  }
  return new ProvisioningError(
    'VERIFY_REPORT_FAILED',
    `The device authenticated but its state report failed (HTTP ${reportStatus ?? 'error'}): retry; ` +
      'if it repeats, check the device firmware',
  );
}

/** The station's own `/auth/device` with the new key; the device token it gets is dropped. */
async function stationAuth(ctx: RunContext, signal: AbortSignal): Promise<void> {
  const { key, secret, device } = ctx.state;
  if (!key || secret === undefined || !device) throw new Error('verify before mint');
  try {
    const answer = await ctx.platform.authenticateDevice({ deviceId: device.id, key: key.key, secret }, signal);
    if (answer.deviceId !== device.id) throw new Error('device id differs');
  } catch (error) {
    if (!isUnauthorized(error) && !(error instanceof Error && error.message === 'device id differs')) throw error;
    throw new ProvisioningError(
      'VERIFY_STATION_AUTH_FAILED',
      `The platform refused the new key for device ${device.id} when Keyline tried it itself: check the device ` +
        'class and that the key is active, then retry',
      { cause: error },
    );
  }
}

/** Reads the device on the platform until the nonce shows up (a real platform may lag a little). */
async function waitForNonce(ctx: RunContext, nonce: string, signal: AbortSignal): Promise<boolean> {
  const attribute = NONCE_ATTRIBUTE;
  const deviceId = ctx.state.device!.id;
  const { clock } = ctx.deps;
  const deadline = clock.monotonic() + (ctx.deps.nonceWaitMs ?? 8000);
  for (let attempt = 0; ; attempt += 1) {
    const state = await ctx.platform.compositeState(ctx.appId, deviceId, signal);
    if (state[attribute]?.value === nonce) return true;
    const delay = Math.min(50 * 2 ** attempt, 1000);
    if (clock.monotonic() + delay > deadline) return false;
    await sleep(delay, signal);
  }
}

/** One `test` of the staged slot with a fresh nonce; a reply lost on the line is asked once more. */
async function testStaged(ctx: RunContext, signal: AbortSignal): Promise<{ nonce: string; result: DeviceTestResult }> {
  const link = ctx.state.link!;
  const nonce = newNonce();
  try {
    return { nonce, result: await link.test({ slot: 'staged', nonce }, signal) };
  } catch (error) {
    // `test` changes nothing on the device (docs/serial-protocol.md §9): a reply lost to noise or a
    // reset is settled by running it once more, with a fresh nonce.
    if (!LOST_TEST_REPLY.has(String((error as { code?: unknown }).code)) || signal.aborted) throw error;
    note(ctx, `The reply to the device's test was lost (${String((error as { code?: unknown }).code)}); tested again.`);
    const again = newNonce();
    return { nonce: again, result: await ctx.state.link!.test({ slot: 'staged', nonce: again }, signal) };
  }
}

/**
 * Step 5. Mode `device`: the device authenticates with the staged credentials and reports a
 * one-time nonce; Keyline sees it arrive on the platform. For a rotation the station also tries the
 * new key itself, since the old key still works and the device's report alone proves nothing new.
 * A test the platform failed for a moment (5xx, 429, no answer) is run once more after a short
 * pause (the device's Retry-After when it reports one); a refusal of the credentials never is.
 * Mode `station`: Keyline authenticates with the key itself; the device path stays unproven.
 */
export async function verify(ctx: RunContext, signal: AbortSignal): Promise<void> {
  const { state, input } = ctx;
  if (input.settings.verifyMode === 'station') {
    await stationAuth(ctx, signal);
    state.devicePathProven = false;
    return;
  }
  if (!state.hello?.capabilities.includes('test')) {
    // docs/serial-protocol.md §5.3: a device without network hardware cannot test; say so.
    await stationAuth(ctx, signal);
    state.devicePathProven = false;
    note(
      ctx,
      'The device has no network (no "test" capability): Keyline proved the key itself; the device path is not proven.',
    );
    return;
  }
  let { nonce, result } = await testStaged(ctx, signal);
  let retried = false;
  const transient = result.ok ? undefined : transientTestFailure(result);
  const waitMs = transient ? verifyRetryWaitMs(result) : undefined;
  if (transient && waitMs !== undefined && !signal.aborted) {
    // The platform, not the credentials, failed the device's call: one more test after a pause.
    const call = transient.step === 'auth' ? 'login (/auth/device)' : 'state report';
    const got = MOMENTARY_WORDS[transient.cause] ?? transient.cause;
    note(
      ctx,
      `The device's ${call} got ${got} from the platform, which was momentarily unavailable; ` +
        `tested again after ${(waitMs / 1000).toFixed(1)} s${result.retryAfterMs !== undefined ? ' (its Retry-After)' : ''}.`,
    );
    stepDetail(ctx, 'verify', {
      retried: true,
      retryStep: transient.step,
      retryCause: transient.cause,
      retryWaitMs: waitMs,
    });
    await backoff(ctx, waitMs, signal);
    ({ nonce, result } = await testStaged(ctx, signal));
    retried = true;
    stepDetail(ctx, 'verify', { retryPassed: result.ok });
  }
  if (!result.ok) throw deviceTestError(result, ctx.platform.apiUrl, retried);
  if (!(await waitForNonce(ctx, nonce, signal))) {
    throw new ProvisioningError(
      'VERIFY_NONCE_NOT_SEEN',
      'The device said it reported its state, but the nonce never arrived on the platform: check the platform URL ' +
        'the device uses and that it reports to this application, then retry',
    );
  }
  if (state.rotation) await stationAuth(ctx, signal);
  state.devicePathProven = true;
}
