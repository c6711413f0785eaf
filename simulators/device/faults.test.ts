import { describe, expect, it } from 'vitest';
import { FaultSpecError, formatFaults, includes, NO_FAULTS, parseFaults } from './faults';

describe('fault specs', () => {
  it('parses every fault and formats it back', () => {
    const spec =
      'corrupt=0.25,drop=1,reboot-during=stage+commit,reboot-after=commit,flash-fail=stage,no-network,wrong-clock,slow=1500,old-protocol,leak-secrets,mute,seed=7';
    const faults = parseFaults(spec);
    expect(faults.corrupt).toBe(0.25);
    expect(includes(faults.rebootDuring, 'stage')).toBe(true);
    expect(includes(faults.rebootDuring, 'hello')).toBe(false);
    expect(faults.slowMs).toBe(1500);
    expect(formatFaults(faults)).toBe(spec);
    expect(formatFaults(parseFaults(formatFaults(faults)))).toBe(spec);
  });

  it('reads a bare operation fault as every operation, and an empty spec as none', () => {
    expect(parseFaults('flash-fail').flashFail).toBe('all');
    expect(formatFaults(parseFaults(''))).toBe('');
    expect(formatFaults(parseFaults('none'))).toBe(formatFaults(NO_FAULTS));
    expect(parseFaults('no-network=off').noNetwork).toBe(false);
  });

  it('refuses what it does not know, saying what', () => {
    expect(() => parseFaults('gremlins')).toThrow(FaultSpecError);
    expect(() => parseFaults('corrupt=2')).toThrow(/probability/);
    expect(() => parseFaults('reboot-during=format')).toThrow(/unknown operation "format"/);
    expect(() => parseFaults('slow=soon')).toThrow(/milliseconds/);
  });
});
