import { describe, expect, it } from 'vitest';
import type { Diagnosis } from '../../common/contract/inspect';
import { formatDiagnosis } from './diagnosis-report';

const diagnosis: Diagnosis = {
  subject: {
    port: '/dev/ttyUSB0',
    hwid: 'HW\u001b[31m-1',
    deviceId: 'a'.repeat(24),
    deviceName: 'probe\u202e1',
    applicationId: 'b'.repeat(24),
    accessKeyId: null,
  },
  checkedAt: '2025-03-01T00:00:00.000Z',
  verdict: 'causesFound',
  summary: 'One cause found: access key inactive.',
  checks: [
    {
      cause: 'KEY_INACTIVE',
      title: 'Access key inactive',
      status: 'holds',
      finding: 'Access key "x\ny" is inactive.',
      evidence: [],
      fix: 'Reactivate it.',
    },
    {
      cause: 'CLOCK_FAR_OFF',
      title: 'Device clock far off',
      status: 'clear',
      finding: 'Fine.',
      evidence: [],
      fix: 'n/a',
    },
  ],
  found: ['KEY_INACTIVE'],
  deviceTest: null,
  connectionLog: [],
  notes: [],
  journaled: true,
};

describe('the human diagnosis report', () => {
  it('puts causes with their fix first and keeps untrusted text from driving the terminal', () => {
    const text = formatDiagnosis(diagnosis);
    expect(text).toContain('CAUSE    Access key inactive\n');
    expect(text).toContain('Fix: Reactivate it.');
    expect(text).not.toContain('Fix: n/a');
    expect(text).toContain('HW\\u001b[31m-1');
    expect(text).toContain('probe\\u202e1');
    expect(text).toContain('Access key "x y" is inactive.');
    // eslint-disable-next-line no-control-regex -- the point is that none are left
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u202e]/);
  });
});
