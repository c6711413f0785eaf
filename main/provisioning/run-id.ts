import { randomBytes } from 'node:crypto';

/**
 * A run id: sortable by time, unique across stations, and safe inside a key name and a platform
 * `filter` glob (no `*`, `?` or brackets).
 */
export function newRunId(now: Date = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${randomBytes(5).toString('hex')}`;
}

export const KEY_NAME_PREFIX = 'keyline-';

export function keyNameFor(runId: string): string {
  return `${KEY_NAME_PREFIX}${runId}`;
}

/** A one-time nonce for the device's state report. */
export function newNonce(): string {
  return randomBytes(12).toString('hex');
}
