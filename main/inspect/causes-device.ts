import type { CauseCheck } from '../../common/contract/inspect';
import type { TestReport } from '../serial';
import { refusalEvidence, type Refusal } from './connection-refusals';
import type { DiagnosisFacts } from './diagnosis-facts';
import { check } from './diagnosis-words';
import { keyLetsIn } from './key-reach';
import { canConnect } from './lookup-views';
import { formatDuration } from './token-times';

/** The causes only the device itself can show: what it holds, its clock, its network. */

/** Beyond this the device's TLS checks and token times go wrong; NTP keeps clocks far closer. */
export const CLOCK_TOLERANCE_MS = 5 * 60 * 1000;

const NEEDS_SERIAL = 'Needs the device on a serial port (keyline diagnose --port, or the Inspect screen).';

function report(facts: DiagnosisFacts): TestReport | null {
  return facts.probe?.test && 'report' in facts.probe.test ? facts.probe.test.report : null;
}

function authStep(facts: DiagnosisFacts) {
  return report(facts)?.steps.find((step) => step.step === 'auth');
}

export function noCredentials(facts: DiagnosisFacts): CauseCheck {
  if (!facts.probe) return check('NO_CREDENTIALS', 'unknown', NEEDS_SERIAL);
  const { slots } = facts.probe.info;
  if (!slots.active) {
    return check('NO_CREDENTIALS', 'holds', 'The device holds no active credentials.', [
      slots.staged && `Credentials for device ${slots.staged.deviceId} are staged but were never committed.`,
      slots.pending && 'A commit waits for confirmation.',
    ]);
  }
  return check(
    'NO_CREDENTIALS',
    'clear',
    `The device holds credentials for device ${slots.active.deviceId} with access key ${slots.active.key}.`,
    [
      slots.pending &&
        'A commit still waits for confirmation: the previous credentials are kept until Keyline settles it.',
    ],
  );
}

export function deviceIdMismatch(facts: DiagnosisFacts): CauseCheck {
  const probe = facts.probe;
  if (!probe) return check('DEVICE_ID_MISMATCH', 'unknown', NEEDS_SERIAL);
  const held = probe.info.slots.active?.deviceId;
  const { hwid } = probe.info;
  if (!held) return check('DEVICE_ID_MISMATCH', 'unknown', 'The device holds no device id.');
  const tagged = facts.byHwid.state === 'found' ? facts.byHwid.value : [];
  const ours =
    tagged.length > 0
      ? ` The platform's device for hwid ${hwid} is ${tagged.map((device) => `"${device.name}" (${device.id})`).join(', ')}.`
      : '';
  if (facts.device.state === 'found') {
    const tag = facts.device.value.tags.find((candidate) => candidate.key === 'hwid');
    if (tag && tag.value !== hwid) {
      return check(
        'DEVICE_ID_MISMATCH',
        'holds',
        `The device (hwid ${hwid}) holds the id of "${facts.device.value.name}" (${held}), which belongs to the unit with hwid ${tag.value}.${ours}`,
      );
    }
  }
  if (facts.byHwid.state === 'unknown') {
    return check(
      'DEVICE_ID_MISMATCH',
      'unknown',
      `Could not look up the platform device for hwid ${hwid}: ${facts.byHwid.reason}`,
    );
  }
  if (tagged.length === 0) {
    return check(
      'DEVICE_ID_MISMATCH',
      facts.device.state === 'found' ? 'clear' : 'unknown',
      `No platform device is tagged hwid=${hwid}; the device holds id ${held}.`,
    );
  }
  if (tagged.some((device) => device.id.toLowerCase() === held.toLowerCase())) {
    return check(
      'DEVICE_ID_MISMATCH',
      'clear',
      `The device holds id ${held}, the platform device tagged hwid=${hwid}.`,
    );
  }
  return check('DEVICE_ID_MISMATCH', 'holds', `The device holds device id ${held}.${ours}`);
}

/** The platform-side reasons a 401 could have; when none holds, the secret is what is left. */
function platformExplains401(facts: DiagnosisFacts): boolean | null {
  const { device, key } = facts;
  if (device.state !== 'found' || key.state !== 'found') return null;
  return !canConnect(device.value.deviceClass) || key.value.status !== 'active' || !keyLetsIn(key.value, device.value);
}

export function secretMismatch(facts: DiagnosisFacts, refusals: readonly Refusal[]): CauseCheck {
  const logged = refusalEvidence(refusals, 'SECRET_MISMATCH');
  const slot = facts.probe?.info.slots.active;
  const history = facts.history;
  const evidence: Array<string | null> = [logged];
  let fingerprintDiffers = false;
  let fingerprintMatches = false;
  const keyId = facts.keyId?.toLowerCase();
  if (slot && history?.fingerprintPrefix && keyId && history.accessKeyId?.toLowerCase() === keyId) {
    const length = Math.min(slot.fp.length, history.fingerprintPrefix.length);
    fingerprintDiffers = slot.fp.slice(0, length) !== history.fingerprintPrefix.slice(0, length);
    fingerprintMatches = !fingerprintDiffers;
    evidence.push(
      fingerprintDiffers
        ? `The device's fingerprint for key ${slot.key} (${slot.fp.slice(0, length)}…) differs from the one Keyline wrote in run ${history.runId} on ${history.time} (${history.fingerprintPrefix.slice(0, length)}…): it holds another secret.`
        : `The device's fingerprint matches the one Keyline wrote in run ${history.runId}.`,
    );
  }
  const auth = authStep(facts);
  const rejected = auth?.status === 401;
  const explained = platformExplains401(facts);
  if (rejected) {
    evidence.push(
      explained === false
        ? "The device's own login was refused (401) although its key is active and lets it in, and its class may connect."
        : "The device's own login was refused (401).",
    );
  }
  if (fingerprintDiffers || logged || (rejected && explained === false)) {
    return check('SECRET_MISMATCH', 'holds', 'The secret the device holds does not match its access key.', evidence);
  }
  if (report(facts)?.passed) {
    return check('SECRET_MISMATCH', 'clear', "The device's own login works: its secret matches the key.", evidence);
  }
  if (auth && auth.status === 200)
    return check('SECRET_MISMATCH', 'clear', "The platform accepted the device's key and secret.", evidence);
  if (fingerprintMatches) {
    return check('SECRET_MISMATCH', 'clear', 'The device holds the secret Keyline wrote.', evidence);
  }
  return check(
    'SECRET_MISMATCH',
    'unknown',
    rejected
      ? 'The device was refused, but another cause explains it (or the key could not be read).'
      : facts.probe
        ? 'Neither a test login nor a journaled fingerprint could show it.'
        : "Needs the device on a serial port, or a refusal in the device's connection log.",
    evidence,
  );
}

export function clockFarOff(facts: DiagnosisFacts): CauseCheck {
  const probe = facts.probe;
  if (!probe) return check('CLOCK_FAR_OFF', 'unknown', NEEDS_SERIAL);
  const { clock, clockSkewMs } = probe.info;
  const deviceTime = new Date(clock.unix * 1000).toISOString();
  const testSays =
    authStep(facts)?.error === 'CLOCK_INVALID' && 'Its test reported CLOCK_INVALID: it did not even try to connect.';
  if (!clock.valid) {
    return check('CLOCK_FAR_OFF', 'holds', `The device's clock is not set: it says ${deviceTime}.`, [testSays]);
  }
  if (Math.abs(clockSkewMs) > CLOCK_TOLERANCE_MS) {
    const direction = clockSkewMs > 0 ? 'ahead of' : 'behind';
    return check(
      'CLOCK_FAR_OFF',
      'holds',
      `The device's clock is ${formatDuration(clockSkewMs / 1000)} ${direction} the station's (it says ${deviceTime}).`,
      [testSays],
    );
  }
  if (testSays) return check('CLOCK_FAR_OFF', 'holds', 'The device says its clock is not usable.', [testSays]);
  return check(
    'CLOCK_FAR_OFF',
    'clear',
    `The device's clock is within ${formatDuration(Math.abs(clockSkewMs) / 1000)} of the station's.`,
  );
}

const NETWORK_WORDS: Record<string, string> = {
  NO_NETWORK: 'the device has no network link (no Wi-Fi association, no cable, no IP address)',
  DNS: "the device could not resolve the platform's host name",
  CONNECT: 'the connection to the platform was refused or reset',
  TLS: "the TLS handshake with the platform failed (certificate store, or the device's clock)",
  TIMEOUT: 'the platform did not answer the device within 10 s',
  BAD_RESPONSE: "the device did not understand the platform's answer (a proxy or captive portal in the way?)",
};

export function platformUnreachable(facts: DiagnosisFacts, lastSuccess: string | null): CauseCheck {
  if (!facts.probe) {
    if (facts.log.state !== 'found') {
      return check(
        'PLATFORM_UNREACHABLE_FROM_DEVICE',
        'unknown',
        'The connection log could not be read. ' + NEEDS_SERIAL,
      );
    }
    const entries = facts.log.value;
    if (entries.length === 0) {
      return check(
        'PLATFORM_UNREACHABLE_FROM_DEVICE',
        'unknown',
        'The platform has no record of this device trying to connect: if it should have tried, it may not reach the platform. ' +
          NEEDS_SERIAL,
      );
    }
    const newest = [...entries].sort((a, b) => Date.parse(b.time) - Date.parse(a.time))[0]!;
    return check(
      'PLATFORM_UNREACHABLE_FROM_DEVICE',
      'clear',
      `The platform heard from the device: last attempt ${newest.time}.`,
      [lastSuccess && `Last successful connection: ${lastSuccess}.`],
    );
  }
  const test = facts.probe.test;
  if (!test)
    return check('PLATFORM_UNREACHABLE_FROM_DEVICE', 'unknown', 'The device was not asked to test its connection.');
  if ('skipped' in test)
    return check(
      'PLATFORM_UNREACHABLE_FROM_DEVICE',
      'unknown',
      `The device could not test its connection: ${test.skipped}.`,
    );
  const auth = test.report.steps.find((step) => step.step === 'auth');
  if (!auth) return check('PLATFORM_UNREACHABLE_FROM_DEVICE', 'unknown', 'The device did not finish its test.');
  if (auth.error === 'CLOCK_INVALID') {
    return check(
      'PLATFORM_UNREACHABLE_FROM_DEVICE',
      'unknown',
      'The device did not try: its clock is not set (see "Device clock far off").',
    );
  }
  if (auth.error) {
    return check(
      'PLATFORM_UNREACHABLE_FROM_DEVICE',
      'holds',
      `The device's test: ${NETWORK_WORDS[auth.error] ?? auth.error}.`,
      [`Test step auth: ${auth.error}, after ${auth.ms} ms.`],
    );
  }
  if (auth.status >= 500) {
    return check(
      'PLATFORM_UNREACHABLE_FROM_DEVICE',
      'holds',
      `The platform failed the device's login (${auth.status}).`,
      ['A 5xx answer is the platform side: retry later, or check the API URL the device uses.'],
    );
  }
  return check(
    'PLATFORM_UNREACHABLE_FROM_DEVICE',
    'clear',
    `The device reached the platform: it answered ${auth.status}.`,
  );
}
