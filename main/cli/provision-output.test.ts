import { describe, expect, it } from 'vitest';
import type { LaneView } from '../../common/contract/provisioning';
import { deviceLine, finishedLine, laneLine, ProgressBars } from './provision-output';

const base: LaneView = {
  id: 'lane-1',
  port: '/dev/ttyUSB0',
  state: 'running',
  step: 'stage',
  progress: 3 / 7,
  steps: [],
  notes: [],
  attempts: 1,
  hwid: 'A4CF12B3C4D5',
  elapsedMs: 1234,
};

describe('keyline provision output', () => {
  it('draws a lane as port, hwid, bar, step and time', () => {
    expect(laneLine(base, 14)).toBe('/dev/ttyUSB0    A4CF12B3C4D5      [#########-----------] stage        1.2s');
  });

  it('reports an unresolved run as failed, flagged, with its reason', () => {
    const line = deviceLine(
      { ...base, state: 'unresolved', error: { code: 'COMMIT_UNCONFIRMED', message: 'settle it' }, runId: 'r1' },
      undefined,
    );
    expect(line).toMatchObject({
      outcome: 'failed',
      unresolved: true,
      error: { code: 'COMMIT_UNCONFIRMED' },
      runId: 'r1',
    });
  });

  it('gives every failed line an error, and none to a passed one', () => {
    expect(deviceLine({ ...base, state: 'failed' }, undefined).error?.code).toBe('INTERNAL');
    expect(
      deviceLine({ ...base, state: 'passed', error: { code: 'X', message: 'y' } }, undefined).error,
    ).toBeUndefined();
  });

  it('says what failed and why in words', () => {
    expect(
      finishedLine({ ...base, state: 'failed', error: { code: 'VERIFY_NO_NETWORK', message: 'check Wi-Fi' } }),
    ).toBe('FAILED /dev/ttyUSB0 (A4CF12B3C4D5) in 1.2s\n    VERIFY_NO_NETWORK: check Wi-Fi');
  });

  it('redraws in place and prints other lines above the bars', () => {
    let out = '';
    const bars = new ProgressBars(
      (text) => (out += text),
      () => [base],
    );
    bars.draw();
    bars.print('reconciled run r0');
    expect(out).toContain('\u001b[1A\u001b[0J');
    expect(out).toContain('reconciled run r0\n');
    expect(out.match(/\[#+-+\]/g)).toHaveLength(2);
    bars.stop();
  });
});
