import { describe, expect, it } from 'vitest';
import { KeylineError } from '../../common/errors';
import { reconcileUnfinished, type ReconcileDeps } from './reconcile';
import { APP_ID, FakeDevice, harness, type Harness } from './run/fakes.test-helper';
import type { RunIntent } from './ports';

const PORT = '/dev/ttyFAKE0';

function setup(options: { commitSent?: boolean; minted?: boolean; oldKey?: 'exclusive' | 'none' } = {}) {
  const h = harness();
  const device = new FakeDevice(h.platform);
  h.bench.devices.set(PORT, device);
  const platformDevice = h.platform.addDevice({ hwid: device.hwid });
  const old =
    options.oldKey === 'exclusive' ? h.platform.addKey({ deviceIds: [platformDevice.id], name: 'old' }) : undefined;
  if (old) device.provision(platformDevice.id, old);
  const intent: RunIntent = {
    runId: 'run-x',
    time: new Date().toISOString(),
    station: 's',
    operator: 'o',
    applicationId: APP_ID,
    port: PORT,
    hwid: device.hwid,
    deviceId: platformDevice.id,
    keyName: 'keyline-run-x',
    verifyMode: 'device',
    rotation: old !== undefined,
    ...(old ? { oldKeyId: old.id, oldKeyExclusive: true } : {}),
  };
  h.journal.intents.push(intent);
  if (options.commitSent) h.journal.commitsStarted.add('run-x');
  const key =
    options.minted === false ? undefined : h.platform.addKey({ name: 'keyline-run-x', deviceIds: [platformDevice.id] });
  const deps: ReconcileDeps = {
    connector: h.bench,
    platform: h.platform,
    journal: h.journal,
    station: 's',
    operator: 'o',
    retireOldKey: 'deactivate',
    helloGraceMs: 200,
  };
  return { h, device, key, old, deps, platformDevice };
}

function stage(device: FakeDevice, deviceId: string, key: { key: string; secret: string }) {
  device.provision(deviceId, key);
  const staged = device.slots.active!;
  device.slots.active = undefined;
  device.slots.staged = staged;
}

async function expectSettled(h: Harness) {
  expect(await h.journal.unfinishedIntents()).toEqual([]);
}

describe('reconcileUnfinished', () => {
  it('settles a run interrupted before its key existed', async () => {
    const { h, deps } = setup({ minted: false });
    expect(await reconcileUnfinished(deps)).toEqual([
      expect.objectContaining({ action: 'no-key-found', outcome: 'failed' }),
    ]);
    await expectSettled(h);
  });

  it('revokes a key the device only staged, and discards it from the device', async () => {
    const { h, deps, device, key, platformDevice } = setup();
    stage(device, platformDevice.id, key!);
    const [summary] = await reconcileUnfinished(deps);
    expect(summary).toMatchObject({ action: 'revoked-key', outcome: 'failed' });
    expect(h.platform.keys.has(key!.id)).toBe(false);
    expect(device.slots.staged).toBeUndefined();
    await expectSettled(h);
  });

  it('keeps a key the device runs on after a crash past commit, confirms it and retires the old key', async () => {
    const { h, deps, device, key, old, platformDevice } = setup({ commitSent: true, oldKey: 'exclusive' });
    const previous = device.slots.active;
    device.provision(platformDevice.id, key!);
    device.slots.previous = previous;
    const [summary] = await reconcileUnfinished(deps);
    expect(summary).toMatchObject({ action: 'kept-key', outcome: 'passed' });
    expect(h.platform.keys.get(key!.id)?.status).toBe('active');
    expect(h.platform.keys.get(old!.id)?.status).toBe('inactive');
    expect(device.slots.previous).toBeUndefined();
    await expectSettled(h);
  });

  it('marks the run unresolved, key active, when commit may have been sent and the device is gone', async () => {
    const { h, deps, device, key } = setup({ commitSent: true });
    device.unplugged = true;
    const [summary] = await reconcileUnfinished(deps);
    expect(summary).toMatchObject({ action: 'marked-unresolved', outcome: 'unresolved' });
    expect(h.platform.keys.get(key!.id)?.status).toBe('active');
    await expectSettled(h);
  });

  it('revokes without asking when commit was never sent, even if the device is gone', async () => {
    const { h, deps, device, key } = setup({ commitSent: false });
    device.unplugged = true;
    const [summary] = await reconcileUnfinished(deps);
    expect(summary).toMatchObject({ action: 'revoked-key', outcome: 'failed' });
    expect(h.platform.keys.has(key!.id)).toBe(false);
  });

  it('leaves the run for the next start when the platform cannot be reached', async () => {
    const { h, deps } = setup();
    h.platform.faults.findKeysByName = () => new KeylineError('PLATFORM_UNAVAILABLE', 'down');
    const [summary] = await reconcileUnfinished(deps);
    expect(summary).toMatchObject({ action: 'lookup-failed' });
    expect(summary?.outcome).toBeUndefined();
    expect(await h.journal.unfinishedIntents()).toHaveLength(1);
  });

  it('settles an unresolved run once its device answers, and says nothing while it does not', async () => {
    const { h, deps, device, key, platformDevice } = setup({ commitSent: true });
    const [intent] = h.journal.intents.splice(0);
    h.journal.unresolved.push({ intent: intent!, commitSent: true });
    device.unplugged = true;
    expect(await reconcileUnfinished(deps)).toEqual([]);
    expect(h.journal.reconciles).toEqual([]);
    device.unplugged = false;
    device.provision(platformDevice.id, key!);
    const [summary] = await reconcileUnfinished(deps);
    expect(summary).toMatchObject({ action: 'kept-key', outcome: 'passed' });
    expect(await h.journal.unresolvedRuns()).toEqual([]);
  });

  it('leaves runs in progress alone', async () => {
    const { h, deps } = setup();
    expect(await reconcileUnfinished(deps, { running: new Set(['run-x']) })).toEqual([]);
    expect(await h.journal.unfinishedIntents()).toHaveLength(1);
  });
});
