import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PROVISIONING_SETTINGS,
  type LaneView,
  type ProvisioningSettings,
} from '../../common/contract/provisioning';
import { KeylineError } from '../../common/errors';
import { LaneManager, type LaneEvents } from './lane-manager';
import { APP_ID, FakeDevice, harness } from './run/fakes.test-helper';

function setup(overrides: Partial<ProvisioningSettings> = {}) {
  const h = harness();
  let settings: ProvisioningSettings = { ...DEFAULT_PROVISIONING_SETTINGS, applicationId: APP_ID, ...overrides };
  const log: Array<[string, unknown]> = [];
  const events: LaneEvents = {
    laneAdded: (v) => log.push(['added', v]),
    laneUpdated: (v) => log.push(['updated', v]),
    laneStep: (s) => log.push(['step', s]),
    laneFinished: (v) => log.push(['finished', v]),
    batch: (c) => log.push(['batch', c]),
  };
  const manager = new LaneManager({
    runDeps: () => h.deps,
    settings: () => settings,
    events,
    clock: h.deps.clock,
  });
  const plug = (path: string, hwid?: string) => {
    const device = new FakeDevice(h.platform, hwid);
    h.bench.devices.set(path, device);
    return device;
  };
  return { h, manager, log, plug, set: (s: Partial<ProvisioningSettings>) => (settings = { ...settings, ...s }) };
}

const states = (lanes: LaneView[]) => lanes.map((l) => `${l.port}:${l.state}`).sort();

describe('LaneManager', () => {
  it('runs lanes in parallel, and one failure stops no other', async () => {
    const { manager, plug } = setup();
    for (let i = 0; i < 8; i += 1) plug(`/dev/ttyS${i}`);
    const broken = plug('/dev/ttyS8');
    broken.faults.stage = () => new KeylineError('SERIAL_DEVICE_ERROR', 'flash write failed');
    manager.start(Array.from({ length: 9 }, (_, i) => `/dev/ttyS${i}`));
    expect(manager.counters().running).toBe(9);
    await manager.idle();
    expect(manager.counters()).toMatchObject({ lanes: 9, passed: 8, failed: 1, running: 0 });
    const failed = manager.lanes().find((l) => l.state === 'failed')!;
    expect(failed).toMatchObject({ port: '/dev/ttyS8', error: { code: 'STAGE_FAILED' } });
  });

  it('retries failed lanes only', async () => {
    const { manager, plug } = setup();
    plug('/dev/ttyA');
    const broken = plug('/dev/ttyB');
    broken.unplugged = true;
    manager.start(['/dev/ttyA', '/dev/ttyB']);
    await manager.idle();
    broken.unplugged = false;
    const retried = manager.retry();
    expect(retried.map((l) => l.port)).toEqual(['/dev/ttyB']);
    await manager.idle();
    expect(states(manager.lanes())).toEqual(['/dev/ttyA:passed', '/dev/ttyB:passed']);
    expect(manager.lanes().find((l) => l.port === '/dev/ttyB')?.attempts).toBe(2);
  });

  it('sets a failed unit aside: journaled, passed by "retry failed", still retryable on its own', async () => {
    const { h, manager, plug } = setup();
    plug('/dev/ttyA').faults.stage = () => new KeylineError('SERIAL_DEVICE_ERROR', 'flash write failed');
    plug('/dev/ttyB').faults.stage = () => new KeylineError('SERIAL_DEVICE_ERROR', 'flash write failed');
    plug('/dev/ttyC');
    manager.start(['/dev/ttyA', '/dev/ttyB', '/dev/ttyC']);
    await manager.idle();
    const laneOf = (port: string) => manager.lanes().find((l) => l.port === port)!;
    const failedA = laneOf('/dev/ttyA');

    // A passed lane and an unknown id are left alone; only the failed one is set aside.
    const skipped = await manager.skip([failedA.id, laneOf('/dev/ttyC').id, 'lane-404']);
    expect(skipped.map((l) => l.port)).toEqual(['/dev/ttyA']);
    expect(laneOf('/dev/ttyA')).toMatchObject({ state: 'skipped', setAside: true, error: { code: 'STAGE_FAILED' } });
    expect(laneOf('/dev/ttyC').state).toBe('passed');
    expect(manager.counters()).toMatchObject({ failed: 1, skipped: 1, passed: 1 });
    expect(h.journal.reconciles).toEqual([
      expect.objectContaining({ runId: failedA.runId, action: 'set-aside', port: '/dev/ttyA', error: failedA.error }),
    ]);
    // The attempt stays recorded as failed: setting aside settles nothing.
    expect(h.journal.reconciles[0]).not.toHaveProperty('outcome');

    expect(manager.retry().map((l) => l.port)).toEqual(['/dev/ttyB']);
    await manager.idle();
    expect(manager.retry([failedA.id]).map((l) => l.port)).toEqual(['/dev/ttyA']);
    await manager.idle();
    expect(laneOf('/dev/ttyA')).not.toHaveProperty('setAside');
    expect(laneOf('/dev/ttyA').attempts).toBe(2);
  });

  it('does not set aside a lane whose set-aside could not be journaled', async () => {
    const { h, manager, plug } = setup();
    plug('/dev/ttyA').unplugged = true;
    manager.start(['/dev/ttyA']);
    await manager.idle();
    const lane = manager.lanes()[0]!;
    h.journal.appendReconcile = () => Promise.reject(new KeylineError('STORAGE_DISK_FULL', 'disk full'));
    await expect(manager.skip([lane.id])).rejects.toMatchObject({ code: 'STORAGE_DISK_FULL' });
    expect(manager.lanes()[0]!.state).toBe('failed');
  });

  it('emits steps, updates and a finish per lane, with progress reaching 1', async () => {
    const { manager, plug, log } = setup();
    plug('/dev/ttyA');
    manager.start(['/dev/ttyA']);
    await manager.idle();
    const steps = log
      .filter(([kind]) => kind === 'step')
      .map(([, s]) => (s as { step: string; status: string }).step + ':' + (s as { status: string }).status);
    expect(steps).toContain('identify:running');
    expect(steps).toContain('commit:passed');
    expect(steps.at(-1)).toBe('record:passed');
    const finished = log.filter(([kind]) => kind === 'finished').map(([, v]) => v as LaneView);
    expect(finished).toHaveLength(1);
    expect(finished[0]).toMatchObject({ state: 'passed', progress: 1 });
    expect(finished[0]!.hwid).toMatch(/^HW-/);
    expect(log.at(-1)).toEqual(['batch', expect.objectContaining({ passed: 1 })]);
  });

  it('waits on a question until answered', async () => {
    const { h, manager, plug } = setup({ ifProvisioned: 'ask' });
    const device = plug('/dev/ttyA');
    const platformDevice = h.platform.addDevice({ hwid: device.hwid });
    device.provision(platformDevice.id, h.platform.addKey({ deviceIds: [platformDevice.id] }));
    const [lane] = manager.start(['/dev/ttyA']);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const waiting = manager.lanes()[0]!;
    expect(waiting.state).toBe('waiting');
    expect(waiting.question?.kind).toBe('already-provisioned');
    expect(manager.answer(lane!.id, 'replace')).toBe(false);
    expect(manager.answer(lane!.id, 'rotate')).toBe(true);
    await manager.idle();
    expect(manager.lanes()[0]).toMatchObject({ state: 'passed', rotation: true });
  });

  it('stops a lane waiting on a question', async () => {
    const { h, manager, plug } = setup({ ifProvisioned: 'ask' });
    const device = plug('/dev/ttyA');
    const platformDevice = h.platform.addDevice({ hwid: device.hwid });
    device.provision(platformDevice.id, h.platform.addKey({ deviceIds: [platformDevice.id] }));
    manager.start(['/dev/ttyA']);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(manager.stop()).toBe(1);
    await manager.idle();
    expect(manager.lanes()[0]).toMatchObject({ state: 'failed', error: { code: 'RUN_STOPPED' } });
  });

  it('auto-starts on a watched port and re-attaches a lane by USB serial number', async () => {
    const { manager, plug } = setup({ autoStart: true, watchedPorts: ['SN-1', '/dev/ttyW'] });
    plug('/dev/ttyUSB0');
    plug('/dev/ttyOther');
    manager.portArrived({ path: '/dev/ttyOther' });
    manager.portArrived({ path: '/dev/ttyUSB0', serialNumber: 'SN-1' });
    await manager.idle();
    expect(states(manager.lanes())).toEqual(['/dev/ttyUSB0:passed']);
    // The device reboots and comes back under another name: same lane, new path.
    manager.portLeft({ path: '/dev/ttyUSB0', serialNumber: 'SN-1' });
    plug('/dev/ttyUSB3');
    manager.portArrived({ path: '/dev/ttyUSB3', serialNumber: 'SN-1' });
    await manager.idle();
    const lanes = manager.lanes();
    expect(lanes).toHaveLength(1);
    expect(lanes[0]).toMatchObject({ port: '/dev/ttyUSB3', usbSerialNumber: 'SN-1', attempts: 2 });
  });

  it('re-attaches by the lane key of a USB socket when the adapter has no serial number', async () => {
    const { manager, plug } = setup({ autoStart: true, watchedPorts: ['usb-path:1-2.3'] });
    plug('/dev/ttyUSB0');
    manager.portArrived({ path: '/dev/ttyUSB0', laneKey: 'usb-path:1-2.3' });
    await manager.idle();
    plug('/dev/ttyUSB1');
    manager.portArrived({ path: '/dev/ttyUSB1', laneKey: 'usb-path:1-2.3' });
    await manager.idle();
    expect(manager.lanes()).toHaveLength(1);
    expect(manager.lanes()[0]).toMatchObject({ port: '/dev/ttyUSB1', state: 'passed', attempts: 2 });
  });

  it('fails a lane with advice when no application is chosen', async () => {
    const { manager, plug } = setup({ applicationId: undefined });
    plug('/dev/ttyA');
    manager.start(['/dev/ttyA']);
    await manager.idle();
    expect(manager.lanes()[0]?.error?.code).toBe('NO_APPLICATION');
  });
});
