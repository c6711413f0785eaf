import { describe, expect, it } from 'vitest';
import { causeOfReason, recentRefusals, refusalEvidence } from './connection-refusals';

describe('connection log reasons', () => {
  it.each([
    ['Device not allowed to connect', 'DEVICE_CLASS_CANNOT_CONNECT'],
    ['Access secret does not match the access key', 'SECRET_MISMATCH'],
    ['Access key has been deleted', 'KEY_DELETED'],
    ['Access key was not found', 'KEY_DELETED'],
    ['Access key is inactive', 'KEY_INACTIVE'],
    ['Access key does not allow this device', 'KEY_RESTRICTED_TO_OTHER_DEVICES'],
    ['Device was not found', 'KEY_RESTRICTED_TO_OTHER_DEVICES'],
    ['Connection closed by the broker', null],
  ])('maps "%s" to %s', (reason, cause) => {
    expect(causeOfReason(reason)).toBe(cause);
  });

  it('keeps only the refusals since the last successful connection, newest first', () => {
    const { refusals, lastSuccess } = recentRefusals([
      { connected: 0, time: '2025-01-01T10:00:00.000Z', disconnectReason: 'Access key is inactive' },
      { connected: 1, time: '2025-01-01T11:00:00.000Z' },
      { connected: 0, time: '2025-01-01T12:00:00.000Z', disconnectReason: 'Device not allowed to connect' },
      { connected: 0, time: '2025-01-01T13:00:00.000Z', disconnectReason: 'Access key has been deleted' },
    ]);
    expect(lastSuccess).toBe('2025-01-01T11:00:00.000Z');
    expect(refusals.map((refusal) => refusal.cause)).toEqual(['KEY_DELETED', 'DEVICE_CLASS_CANNOT_CONNECT']);
    expect(refusalEvidence(refusals, 'KEY_INACTIVE')).toBeNull();
    expect(refusalEvidence(refusals, 'KEY_DELETED')).toBe(
      `The platform's connection log, 2025-01-01T13:00:00.000Z: refused, "Access key has been deleted".`,
    );
  });
});
