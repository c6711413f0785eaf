import type { TestReply, TestStep } from '../../common/serial';
import { SerialError } from './errors';

/** Why a `test` did not pass, from the device's steps (docs/serial-protocol.md §5.3). */
export type TestFailure =
  NonNullable<TestStep['error']> | 'AUTH_REJECTED' | 'AUTH_FAILED' | 'STATE_REJECTED' | 'STATE_FAILED' | 'INCOMPLETE';

export type TestReport = Omit<TestReply, 'ok'> & { failure?: TestFailure };

export function classifyTest(reply: TestReply): TestReport {
  const { ok: _ok, ...report } = reply;
  if (reply.passed) return report;
  const auth = reply.steps.find((step) => step.step === 'auth');
  const state = reply.steps.find((step) => step.step === 'state');
  let failure: TestFailure = 'INCOMPLETE';
  if (auth?.error) failure = auth.error;
  else if (auth && auth.status !== 200) failure = auth.status === 401 ? 'AUTH_REJECTED' : 'AUTH_FAILED';
  else if (state?.error) failure = state.error;
  else if (state && state.status !== 200)
    failure = state.status === 401 || state.status === 403 ? 'STATE_REJECTED' : 'STATE_FAILED';
  return { ...report, failure };
}

const ADVICE: Record<TestFailure, string> = {
  NO_NETWORK: 'the device has no network link. Check its Wi-Fi or cable at the bench, or verify without the device.',
  DNS: "the device could not resolve the platform's host name. Check the bench network's DNS.",
  CONNECT: 'the device could not connect to the platform. Check the bench network and firewall.',
  TLS: "the device's TLS handshake failed. Check its certificate store and clock.",
  TIMEOUT: 'the platform did not answer the device within 10 s. Check the bench network.',
  CLOCK_INVALID:
    "the device's clock is not set, so it cannot check the platform's certificate. Let it sync time (NTP) and retry.",
  BAD_RESPONSE: "the platform's answer to the device was not understood.",
  AUTH_REJECTED:
    'the platform refused the credentials (401): the key is wrong or inactive, not allowed for this device, or the device class may not connect.',
  AUTH_FAILED: 'the platform failed the authentication request.',
  STATE_REJECTED: 'the platform refused the state report.',
  STATE_FAILED: 'the platform failed the state report.',
  INCOMPLETE: 'the device did not finish the test.',
};

/** Throws `SERIAL_TEST_FAILED` with an actionable message unless the report passed. */
export function assertTestPassed(report: TestReport, port: string): void {
  if (report.passed) return;
  const failure = report.failure ?? 'INCOMPLETE';
  const steps = report.steps
    .map((step) => `${step.step} ${step.status}${step.error ? ` ${step.error}` : ''}`)
    .join(', ');
  throw new SerialError(
    'SERIAL_TEST_FAILED',
    `${port}: the device's test of its ${report.slot} credentials failed (${steps || 'no steps'}): ${ADVICE[failure]}`,
    { port, op: 'test' },
  );
}
