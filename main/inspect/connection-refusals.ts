import type { CauseCode } from '../../common/contract/inspect';
import type { DeviceLogEntry } from '../platform';

/** A refused connection attempt in the device's platform log, and the cause its reason names. */
export interface Refusal {
  time: string;
  reason: string;
  cause: CauseCode | null;
}

/**
 * The platform's reasons for refusing `/auth/device` (as the simulator and the real service word
 * them: "Device not allowed to connect" is the seeds' own), mapped to the causes they prove.
 */
const REASONS: ReadonlyArray<[RegExp, CauseCode]> = [
  [/not allowed to connect/i, 'DEVICE_CLASS_CANNOT_CONNECT'],
  [/secret does not match|invalid (access )?secret|secret.*(wrong|incorrect)/i, 'SECRET_MISMATCH'],
  [/access key (has been deleted|was not found|not found)/i, 'KEY_DELETED'],
  [/access key is inactive|key.*inactive/i, 'KEY_INACTIVE'],
  [/does not allow this device|not (valid|allowed) for this device/i, 'KEY_RESTRICTED_TO_OTHER_DEVICES'],
  // The key is of another application: from the key's side the device does not exist.
  [/device was not found/i, 'KEY_RESTRICTED_TO_OTHER_DEVICES'],
];

export function causeOfReason(reason: string): CauseCode | null {
  for (const [pattern, cause] of REASONS) if (pattern.test(reason)) return cause;
  return null;
}

const timeOf = (entry: DeviceLogEntry) => {
  const time = Date.parse(entry.time);
  return Number.isNaN(time) ? 0 : time;
};

/**
 * The refusals since the device last connected, newest first: older ones were settled by that
 * success. `lastSuccess` is the time of that connection, if any.
 */
export function recentRefusals(entries: readonly DeviceLogEntry[]): {
  refusals: Refusal[];
  lastSuccess: string | null;
} {
  const newestFirst = [...entries].sort((a, b) => timeOf(b) - timeOf(a));
  const refusals: Refusal[] = [];
  for (const entry of newestFirst) {
    if (entry.connected === 1) return { refusals, lastSuccess: entry.time };
    if (entry.disconnectReason && refusals.length < 10) {
      refusals.push({ time: entry.time, reason: entry.disconnectReason, cause: causeOfReason(entry.disconnectReason) });
    }
  }
  return { refusals, lastSuccess: null };
}

/** The newest refusal that names this cause, as evidence text. */
export function refusalEvidence(refusals: readonly Refusal[], cause: CauseCode): string | null {
  const refusal = refusals.find((candidate) => candidate.cause === cause);
  return refusal ? `The platform's connection log, ${refusal.time}: refused, "${refusal.reason.slice(0, 200)}".` : null;
}
