import { afterEach, describe, expect, it } from 'vitest';
import { KeylineError } from '../../../common/errors';
import { runLane } from './lane-run';
import { FakeDevice, harness, settings, type Harness } from './fakes.test-helper';

let h: Harness;

/** DESIGN.md §3: the active keys named by runs equal the keys devices run on. */
function expectNoOrphanKeys(devices: FakeDevice[]): void {
  const running = new Set(devices.map((d) => d.slots.active?.accessKey).filter(Boolean));
  const active = [...h.platform.keys.values()].filter((k) => k.status === 'active' && k.name?.startsWith('keyline-'));
  expect(active.map((k) => k.key).sort()).toEqual([...running].filter((k) => active.some((a) => a.key === k)).sort());
  for (const key of active) expect(running.has(key.key)).toBe(true);
}

function expectNoSecretLeaked(): void {
  const text = JSON.stringify([h.journal.intents, h.journal.outcomes, h.progress]);
  for (const secret of h.secrets) expect(text).not.toContain(secret);
}

function plug(path = '/dev/ttyFAKE0', hwid?: string): FakeDevice {
  const device = new FakeDevice(h.platform, hwid);
  h.bench.devices.set(path, device);
  return device;
}

afterEach(() => {
  expectNoSecretLeaked();
});

describe('runLane: first provisioning', () => {
  it('creates the device, mints a key restricted to it, stages, verifies, commits and journals', async () => {
    h = harness();
    const device = plug();
    const result = await runLane(h.deps, h.input('/dev/ttyFAKE0'));
    expect(result.error).toBeUndefined();
    expect(result.outcome).toBe('passed');
    const [platformDevice] = [...h.platform.devices.values()];
    expect(platformDevice).toMatchObject({ name: `CS-100-${device.hwid}`, deviceClass: 'standalone' });
    expect(platformDevice!.tags).toEqual([
      { key: 'hwid', value: device.hwid },
      { key: 'model', value: 'CS-100' },
      { key: 'firmware', value: '1.2.3' },
    ]);
    expect(platformDevice!.attributes).toEqual([{ name: 'keylineNonce', dataType: 'string' }]);
    const [key] = [...h.platform.keys.values()];
    expect(key).toMatchObject({ name: 'keyline-run-1', deviceIds: [platformDevice!.id], status: 'active' });
    expect(device.slots.active?.accessKey).toBe(key!.key);
    expect(device.slots.previous).toBeUndefined();
    expect(h.journal.intents).toHaveLength(1);
    expect(h.journal.outcomes).toEqual([
      expect.objectContaining({ runId: 'run-1', outcome: 'passed', devicePathProven: true, keyId: key!.id }),
    ]);
    expect(result.record.steps.map((s) => `${s.name}:${s.status}`)).toEqual([
      'identify:passed',
      'resolve:passed',
      'mint:passed',
      'stage:passed',
      'verify:passed',
      'commit:passed',
    ]);
    expect(result.record.timing!.totalMs).toBeGreaterThanOrEqual(0);
    expectNoOrphanKeys([device]);
  });

  it('writes the intent before the key exists', async () => {
    h = harness();
    plug();
    let keysAtIntent = -1;
    const append = h.journal.appendIntent.bind(h.journal);
    h.journal.appendIntent = async (intent) => {
      keysAtIntent = h.platform.keys.size;
      await append(intent);
    };
    await runLane(h.deps, h.input('/dev/ttyFAKE0'));
    expect(keysAtIntent).toBe(0);
  });

  it('in station mode proves the key itself and records that the device path was not proven', async () => {
    h = harness();
    const device = plug();
    const result = await runLane(h.deps, h.input('/dev/ttyFAKE0', { settings: settings({ verifyMode: 'station' }) }));
    expect(result.outcome).toBe('passed');
    expect(result.record.devicePathProven).toBe(false);
    expect(device.ops).not.toContain('test');
  });

  it('uses a pre-registered device and adds the nonce attribute it lacks', async () => {
    h = harness();
    const device = plug();
    const registered = h.platform.addDevice({ hwid: device.hwid, attributes: [{ name: 'temp', dataType: 'number' }] });
    const result = await runLane(
      h.deps,
      h.input('/dev/ttyFAKE0', { settings: settings({ registration: 'pre-registered' }) }),
    );
    expect(result.outcome).toBe('passed');
    expect(h.platform.devices.size).toBe(1);
    expect(registered.attributes.map((a) => a.name)).toEqual(['temp', 'keylineNonce']);
  });
});

describe('runLane: refusals before any key exists', () => {
  it.each([
    [
      'a missing pre-registered device',
      'DEVICE_NOT_REGISTERED',
      (hw: string) => void hw,
      { registration: 'pre-registered' as const },
    ],
    [
      'two devices with one hwid',
      'DEVICE_AMBIGUOUS_HWID',
      (hw: string) => {
        h.platform.addDevice({ hwid: hw });
        h.platform.addDevice({ hwid: hw });
      },
      {},
    ],
    [
      'a peripheral device',
      'DEVICE_CLASS_CANNOT_CONNECT',
      (hw: string) => void h.platform.addDevice({ hwid: hw, deviceClass: 'peripheral' }),
      {},
    ],
    [
      'a nonce attribute the session may not add',
      'NONCE_ATTRIBUTE_MISSING',
      (hw: string) => {
        h.platform.addDevice({ hwid: hw });
        h.platform.canPatchDevices = false;
      },
      {},
    ],
  ])('fails on %s with %s', async (_what, code, arrange, overrides) => {
    h = harness();
    const device = plug();
    arrange(device.hwid);
    const result = await runLane(h.deps, h.input('/dev/ttyFAKE0', { settings: settings(overrides) }));
    expect(result.outcome).toBe('failed');
    expect(result.error?.code).toBe(code);
    expect(h.platform.keys.size).toBe(0);
    expect(h.journal.intents).toHaveLength(0);
    expect(h.journal.outcomes[0]).toMatchObject({ outcome: 'failed', error: { code } });
  });

  it('says what to do about a peripheral device, in plain words', async () => {
    h = harness();
    const device = plug();
    h.platform.addDevice({ hwid: device.hwid, deviceClass: 'peripheral' });
    const result = await runLane(h.deps, h.input('/dev/ttyFAKE0'));
    expect(result.error?.message).toMatch(/device class peripheral cannot connect.*change it to standalone/i);
  });
});

describe('runLane: failures after mint revoke the new key', () => {
  it('revokes a key the platform did not restrict to the device', async () => {
    h = harness();
    const device = plug();
    h.platform.keyAnswer = (key) => ({ ...key, deviceIds: [] });
    const result = await runLane(h.deps, h.input('/dev/ttyFAKE0'));
    expect(result.error?.code).toBe('KEY_NOT_RESTRICTED');
    expect(h.platform.activeKeyline()).toEqual([]);
    expect(device.slots.staged).toBeUndefined();
    expect(result.record.newKey).toBe('revoked');
  });

  it('revokes the key and discards the staged slot when the fingerprint differs', async () => {
    h = harness();
    const device = plug();
    device.corruptStage = true;
    const result = await runLane(h.deps, h.input('/dev/ttyFAKE0'));
    expect(result.error?.code).toBe('FINGERPRINT_MISMATCH');
    expect(h.platform.activeKeyline()).toEqual([]);
    expect(device.slots.staged).toBeUndefined();
    expect(device.ops).toContain('discard');
  });

  it.each([
    ['no network on the device', 'VERIFY_NO_NETWORK', (d: FakeDevice) => void (d.network = false)],
    [
      'the platform refusing the device',
      'VERIFY_AUTH_FAILED',
      (d: FakeDevice) => {
        const original = d.platform.auth.bind(d.platform);
        d.platform.auth = (c) => original(c) && false;
      },
    ],
    [
      'a report that never arrives',
      'VERIFY_NONCE_NOT_SEEN',
      (d: FakeDevice) => {
        d.platform.report = () => undefined;
      },
    ],
  ])(
    'leaves the device on its previous credentials with %s (%s)',
    async (_what, code, arrange) => {
      h = harness();
      const device = plug();
      const old = h.platform.addKey({ name: 'factory', deviceIds: [] });
      const platformDevice = h.platform.addDevice({ hwid: device.hwid });
      device.provision(platformDevice.id, old);
      arrange(device);
      const result = await runLane(h.deps, h.input('/dev/ttyFAKE0'));
      expect(result.error?.code).toBe(code);
      expect(device.slots.active?.accessKey).toBe(old.key);
      expect(h.platform.keys.get(old.id)?.status).toBe('active');
      expect(h.platform.activeKeyline()).toEqual([]);
    },
    20_000,
  );

  it('fails only its own lane when the device is unplugged mid-stage', async () => {
    h = harness();
    const device = plug('/dev/ttyFAKE0');
    const other = plug('/dev/ttyFAKE1');
    device.faults.stage = () => {
      device.unplugged = true;
      return new KeylineError('SERIAL_PORT_CLOSED', 'The port closed: the device was unplugged');
    };
    const [a, b] = await Promise.all([
      runLane(h.deps, h.input('/dev/ttyFAKE0')),
      runLane(h.deps, h.input('/dev/ttyFAKE1')),
    ]);
    expect(a.outcome).toBe('failed');
    expect(a.error?.code).toBe('SERIAL_PORT_CLOSED');
    expect(b.outcome).toBe('passed');
    expectNoOrphanKeys([device, other]);
  });

  it('stops on request and cleans up', async () => {
    h = harness();
    const device = plug();
    const stop = new AbortController();
    device.faults.test = () => {
      stop.abort();
      return new DOMException('stopped', 'AbortError');
    };
    const result = await runLane(h.deps, h.input('/dev/ttyFAKE0', { signal: stop.signal }));
    expect(result.error?.code).toBe('RUN_STOPPED');
    expect(h.platform.activeKeyline()).toEqual([]);
  });

  it('times a step out with advice when the device never answers', async () => {
    h = harness();
    h.deps.timeouts = { identify: 200 };
    const device = plug();
    device.link = (path) => ({
      ...new FakeDevice(h.platform).link(path),
      hello: (signal) =>
        new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error))),
    });
    const result = await runLane(h.deps, h.input('/dev/ttyFAKE0'));
    expect(result.error?.code).toBe('STEP_TIMEOUT');
    expect(result.error?.message).toMatch(/identify.*cable/);
  });
});

describe('runLane: lost replies and create calls', () => {
  it('continues when the commit reply is lost but hello shows the new key active', async () => {
    h = harness();
    // A grace that is not a whole number of milliseconds: every time limit derived from it must still
    // be valid, so the first hello after the loss is asked at once.
    h.deps.helloGraceMs = 3000.37;
    const device = plug();
    device.lostAfter.commit = () => new KeylineError('SERIAL_TIMEOUT', 'no reply');
    const result = await runLane(h.deps, h.input('/dev/ttyFAKE0'));
    expect(result.outcome).toBe('passed');
    expect(result.record.notes.join(' ')).toMatch(/commit was lost/);
    expect(result.record.timing!.totalMs).toBeLessThan(1500);
    expectNoOrphanKeys([device]);
  });

  it('marks the run unresolved and keeps the key when the device vanishes after commit', async () => {
    h = harness();
    const device = plug();
    device.lostAfter.commit = () => {
      device.unplugged = true;
      return new KeylineError('SERIAL_PORT_CLOSED', 'gone');
    };
    const result = await runLane(h.deps, h.input('/dev/ttyFAKE0'));
    expect(result.outcome).toBe('unresolved');
    expect(result.record.newKey).toBe('kept');
    expect(h.platform.activeKeyline()).toHaveLength(1);
    expectNoOrphanKeys([device]);
  });

  it('commits once more when hello shows a reset lost the commit before it applied', async () => {
    h = harness();
    const device = plug();
    let once = true;
    device.faults.commit = () => {
      if (!once) return undefined;
      once = false;
      return new KeylineError('SERIAL_DEVICE_RESET', 'the device restarted');
    };
    const result = await runLane(h.deps, h.input('/dev/ttyFAKE0'));
    expect(result.outcome).toBe('passed');
    expect(device.ops.filter((op) => op === 'commit')).toHaveLength(2);
    expectNoOrphanKeys([device]);
  });

  it('tests once more, with a new nonce, when the reply to test is lost', async () => {
    h = harness();
    const device = plug();
    let once = true;
    device.lostAfter.test = () => {
      if (!once) return undefined;
      once = false;
      return new KeylineError('SERIAL_CRC', 'damaged');
    };
    const result = await runLane(h.deps, h.input('/dev/ttyFAKE0'));
    expect(result.outcome).toBe('passed');
    expect(result.record.notes.join(' ')).toMatch(/tested again/);
  });

  it('revokes the key when the device reports that commit failed', async () => {
    h = harness();
    const device = plug();
    device.faults.commit = () => new KeylineError('SERIAL_DEVICE_ERROR', 'flash write failed');
    const result = await runLane(h.deps, h.input('/dev/ttyFAKE0'));
    expect(result.error?.code).toBe('COMMIT_FAILED');
    expect(h.platform.activeKeyline()).toEqual([]);
    expect(device.slots.active).toBeUndefined();
  });

  it('finds the key of a create whose answer was lost by its run name, revokes it and mints again', async () => {
    h = harness();
    const device = plug();
    let once = true;
    h.platform.lostAfter.createKey = () => {
      if (!once) return undefined;
      once = false;
      return Object.assign(new KeylineError('PLATFORM_UNAVAILABLE', 'timeout'), { outcomeUnknown: true });
    };
    const result = await runLane(h.deps, h.input('/dev/ttyFAKE0'));
    expect(result.outcome).toBe('passed');
    expect(h.platform.keys.size).toBe(1);
    expectNoOrphanKeys([device]);
  });

  it('leaves the intent open when a lost create cannot be looked up', async () => {
    h = harness();
    plug();
    h.platform.lostAfter.createKey = () =>
      Object.assign(new KeylineError('PLATFORM_UNAVAILABLE', 'timeout'), { outcomeUnknown: true });
    h.platform.faults.findKeysByName = () => new KeylineError('PLATFORM_UNAVAILABLE', 'down');
    const result = await runLane(h.deps, h.input('/dev/ttyFAKE0'));
    expect(result.outcome).toBe('failed');
    expect(result.journaled).toBe(false);
    expect(await h.journal.unfinishedIntents()).toHaveLength(1);
  });

  it('looks up the device by hwid after a lost create instead of creating it twice', async () => {
    h = harness();
    plug();
    let once = true;
    h.platform.lostAfter.createDevice = () => {
      if (!once) return undefined;
      once = false;
      return Object.assign(new KeylineError('PLATFORM_UNAVAILABLE', 'timeout'), { outcomeUnknown: true });
    };
    const result = await runLane(h.deps, h.input('/dev/ttyFAKE0'));
    expect(result.outcome).toBe('passed');
    expect(h.platform.devices.size).toBe(1);
  });

  it('creates one device when two lanes see the same hwid at once', async () => {
    h = harness();
    plug('/dev/ttyFAKE0', 'HW-SAME');
    plug('/dev/ttyFAKE1', 'HW-SAME');
    await Promise.all([runLane(h.deps, h.input('/dev/ttyFAKE0')), runLane(h.deps, h.input('/dev/ttyFAKE1'))]);
    expect(h.platform.devices.size).toBe(1);
  });

  it('reports a journal it cannot write and leaves the intent for reconciliation', async () => {
    h = harness();
    plug();
    h.journal.failOutcome = true;
    const result = await runLane(h.deps, h.input('/dev/ttyFAKE0'));
    expect(result.outcome).toBe('failed');
    expect(result.error?.code).toBe('JOURNAL_FAILED');
    expect(await h.journal.unfinishedIntents()).toHaveLength(1);
  });
});

describe('runLane: already provisioned devices', () => {
  function provisioned(oldKeyRestriction: {
    deviceIds?: string[];
    deviceTags?: Array<{ key: string; value: string }>;
  }) {
    const device = plug();
    const platformDevice = h.platform.addDevice({ hwid: device.hwid });
    const old = h.platform.addKey({
      name: 'keyline-earlier',
      ...oldKeyRestriction,
      deviceIds: oldKeyRestriction.deviceIds ?? [platformDevice.id],
    });
    device.provision(platformDevice.id, old);
    return { device, platformDevice, old };
  }

  it('rotates make-before-break and deactivates the old key only after confirm', async () => {
    h = harness();
    const { device, old } = provisioned({});
    let oldStatusAtConfirm: string | undefined;
    device.faults.confirm = () => {
      oldStatusAtConfirm = h.platform.keys.get(old.id)?.status;
      return undefined;
    };
    const result = await runLane(h.deps, h.input('/dev/ttyFAKE0'));
    expect(result.outcome).toBe('passed');
    expect(oldStatusAtConfirm).toBe('active');
    expect(h.platform.keys.get(old.id)?.status).toBe('inactive');
    expect(result.record.rotation).toEqual({ oldKeyId: old.id, oldKey: 'deactivated' });
    expect(h.platform.calls).toContain('authenticateDevice');
    expectNoOrphanKeys([device]);
  });

  it('deletes the old key when the setting says so', async () => {
    h = harness();
    const { old } = provisioned({});
    const result = await runLane(h.deps, h.input('/dev/ttyFAKE0', { settings: settings({ retireOldKey: 'delete' }) }));
    expect(result.record.rotation?.oldKey).toBe('deleted');
    expect(h.platform.keys.has(old.id)).toBe(false);
  });

  it.each([
    ['shared by two devices', { deviceIds: ['b'.repeat(24), 'c'.repeat(24)] }],
    ['tag-based', { deviceIds: [], deviceTags: [{ key: 'model', value: 'CS-100' }] }],
  ])('never touches an old key %s, and says so', async (_what, restriction) => {
    h = harness();
    const { old } = provisioned(restriction);
    const result = await runLane(h.deps, h.input('/dev/ttyFAKE0'));
    expect(result.outcome).toBe('passed');
    expect(h.platform.keys.get(old.id)?.status).toBe('active');
    expect(result.record.rotation?.oldKey).toBe('left-shared');
    expect(result.record.notes.join(' ')).toMatch(/shared or tag-based/);
  });

  it('fails the rotation and keeps the old key when the station cannot authenticate with the new one', async () => {
    h = harness();
    const { device, old } = provisioned({});
    h.platform.faults.authenticateDevice = () => new KeylineError('PLATFORM_UNAUTHORIZED', 'Unauthorized');
    const result = await runLane(h.deps, h.input('/dev/ttyFAKE0'));
    expect(result.error?.code).toBe('VERIFY_STATION_AUTH_FAILED');
    expect(device.slots.active?.accessKey).toBe(old.key);
    expect(h.platform.keys.get(old.id)?.status).toBe('active');
    expect(h.platform.activeKeyline()).toEqual([old.id]);
  });

  it('skips by policy without minting anything', async () => {
    h = harness();
    provisioned({});
    const result = await runLane(h.deps, h.input('/dev/ttyFAKE0', { settings: settings({ ifProvisioned: 'skip' }) }));
    expect(result.outcome).toBe('skipped');
    expect(result.error?.code).toBe('DEVICE_ALREADY_PROVISIONED');
    expect(h.platform.keys.size).toBe(1);
    expect(h.journal.outcomes[0]?.outcome).toBe('skipped');
  });

  it('asks when the policy is ask, and follows the answer', async () => {
    h = harness();
    provisioned({});
    const questions: string[] = [];
    const result = await runLane(
      h.deps,
      h.input('/dev/ttyFAKE0', {
        settings: settings({ ifProvisioned: 'ask' }),
        ask: async (question) => {
          questions.push(question.kind);
          return 'skip';
        },
      }),
    );
    expect(questions).toEqual(['already-provisioned']);
    expect(result.outcome).toBe('skipped');
  });

  it('stops and asks when the device holds credentials of another platform device', async () => {
    h = harness();
    const device = plug();
    h.platform.addDevice({ hwid: device.hwid });
    const other = h.platform.addDevice({ name: 'other' });
    const otherKey = h.platform.addKey({ deviceIds: [other.id] });
    device.provision(other.id, otherKey);
    const result = await runLane(h.deps, h.input('/dev/ttyFAKE0', { ask: async () => 'stop' }));
    expect(result.error?.code).toBe('DEVICE_ID_MISMATCH');
    expect(h.platform.activeKeyline()).toEqual([]);
  });

  it("replaces credentials of another device on request, leaving that device's key alone", async () => {
    h = harness();
    const device = plug();
    h.platform.addDevice({ hwid: device.hwid });
    const other = h.platform.addDevice({ name: 'other' });
    const otherKey = h.platform.addKey({ deviceIds: [other.id] });
    device.provision(other.id, otherKey);
    const result = await runLane(h.deps, h.input('/dev/ttyFAKE0', { ask: async () => 'replace' }));
    expect(result.outcome).toBe('passed');
    expect(h.platform.keys.get(otherKey.id)?.status).toBe('active');
    expect(result.record.rotation?.oldKey).toBe('left-shared');
  });
});
