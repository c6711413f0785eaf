import { describe, expect, it } from 'vitest';
import { KeylineError } from '../../../common/errors';
import { runLane } from './lane-run';
import { FakeDevice, harness } from './fakes.test-helper';

/**
 * Found by the soak (docs/reliability.md): a key create whose answer is lost is looked up by its run
 * name, revoked, and made once more; when the answer to that second create is lost too, the key it
 * made must not outlive the run. Before the fix the run ended `failed` with no key revoked, the
 * intent closed, and the platform kept an active `keyline-*` key that no device ran on.
 */
const lost = () => Object.assign(new KeylineError('PLATFORM_UNAVAILABLE', 'timeout'), { outcomeUnknown: true });

describe('mint: every create whose answer was lost', () => {
  it('is swept by the run name, the second one too, so no key outlives a failed run', async () => {
    const h = harness();
    h.bench.devices.set('/dev/ttyFAKE0', new FakeDevice(h.platform));
    // Both creates reach the platform (the keys exist) and both answers are lost.
    h.platform.lostAfter.createKey = lost;
    const result = await runLane(h.deps, h.input('/dev/ttyFAKE0'));
    expect(result.outcome).toBe('failed');
    expect(result.error?.code).toBe('PLATFORM_UNAVAILABLE');
    expect(h.platform.calls.filter((call) => call === 'createKey')).toHaveLength(2);
    // Both keys the platform made were found by the run name and deleted.
    expect(h.platform.keys.size).toBe(0);
    expect(h.platform.activeKeyline()).toEqual([]);
    expect(result.record.newKey).toBe('revoked');
  });

  it('leaves the intent open when the second lost key cannot be swept now', async () => {
    const h = harness();
    h.bench.devices.set('/dev/ttyFAKE0', new FakeDevice(h.platform));
    let creates = 0;
    h.platform.lostAfter.createKey = () => {
      creates++;
      return lost();
    };
    let lookups = 0;
    h.platform.faults.findKeysByName = () =>
      ++lookups > 1 ? new KeylineError('PLATFORM_UNAVAILABLE', 'down') : undefined;
    const result = await runLane(h.deps, h.input('/dev/ttyFAKE0'));
    expect(creates).toBe(2);
    expect(result.outcome).toBe('failed');
    expect(result.journaled).toBe(false);
    expect(await h.journal.unfinishedIntents()).toHaveLength(1);
  });

  it('sweeps nothing after a create the platform refused outright', async () => {
    const h = harness();
    h.bench.devices.set('/dev/ttyFAKE0', new FakeDevice(h.platform));
    h.platform.faults.createKey = () => new KeylineError('PLATFORM_FORBIDDEN', 'no');
    let lookups = 0;
    h.platform.faults.findKeysByName = () => {
      lookups++;
      return undefined;
    };
    const result = await runLane(h.deps, h.input('/dev/ttyFAKE0'));
    expect(result.error?.code).toBe('PLATFORM_FORBIDDEN');
    expect(result.record.newKey).toBe('none');
    expect(lookups).toBe(0);
  });
});
