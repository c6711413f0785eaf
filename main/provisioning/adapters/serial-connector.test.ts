import { describe, expect, it } from 'vitest';
import { testResultOf } from './serial-connector';

describe("testResultOf: the device's test report, as the pipeline reads it", () => {
  it("carries the platform's Retry-After of the step that failed, in milliseconds", () => {
    expect(
      testResultOf({
        slot: 'staged',
        passed: false,
        failure: 'AUTH_FAILED',
        steps: [{ step: 'auth', status: 429, ms: 5, retryAfter: 2 }],
      }),
    ).toEqual({ ok: false, failure: 'auth', detail: 'AUTH_FAILED', authStatus: 429, retryAfterMs: 2000 });
  });

  it('keeps the status of each step and leaves Retry-After out when the device sent none', () => {
    expect(
      testResultOf({
        slot: 'staged',
        passed: false,
        failure: 'STATE_FAILED',
        steps: [
          { step: 'auth', status: 200, ms: 5 },
          { step: 'state', status: 503, ms: 5 },
        ],
      }),
    ).toEqual({ ok: false, failure: 'report', detail: 'STATE_FAILED', authStatus: 200, reportStatus: 503 });
  });
});
