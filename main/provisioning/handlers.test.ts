import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDispatcher, type Handlers } from '../host/dispatcher';
import { EventHub } from '../host/event-hub';
import { SecretRedactor } from '../security/secret-redactor';
import { laneEventsTo, provisioningHandlers } from './handlers';
import { APP_ID, FakeDevice, harness } from './run/fakes.test-helper';
import { ProvisioningService } from './service';
import { SettingsStore } from './settings-store';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'keyline-handlers-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function station() {
  const h = harness();
  const hub = new EventHub();
  const received: Array<[string, unknown]> = [];
  hub.subscribe((event, payload) => received.push([event, payload]));
  const refused: unknown[] = [];
  const service = new ProvisioningService({
    dataDir: dir,
    redactor: new SecretRedactor(),
    connector: h.bench,
    target: async () => ({ platform: h.platform, applicationId: APP_ID, operator: 'tech@example.com' }),
    settings: new SettingsStore(dir),
    station: 'bench-1',
    events: laneEventsTo(hub, (error) => refused.push(error)),
    lockCommand: 'test',
    journal: h.journal,
  });
  const dispatch = createDispatcher(provisioningHandlers(service) as Handlers);
  return { h, service, dispatch, received, refused };
}

describe('provisioning contract methods and events', () => {
  it('starts lanes, reports them within the contract, and emits every event the contract allows', async () => {
    const { h, service, dispatch, received, refused } = station();
    h.bench.devices.set('/dev/ttyA', new FakeDevice(h.platform));
    h.bench.devices.set('/dev/ttyB', new FakeDevice(h.platform));
    const started = await dispatch('provisioning.start', { ports: ['/dev/ttyA', '/dev/ttyB'] }, { host: 'web' });
    expect(started).toMatchObject({ ok: true });
    await service.idle();
    const lanes = await dispatch('provisioning.lanes', {}, { host: 'web' });
    expect(lanes).toMatchObject({
      ok: true,
      value: { counters: { lanes: 2, passed: 2 }, lanes: [{ state: 'passed' }, { state: 'passed' }] },
    });
    expect(refused).toEqual([]);
    const kinds = new Set(received.map(([event]) => event));
    expect([...kinds].sort()).toEqual([
      'provisioning.batch',
      'provisioning.laneAdded',
      'provisioning.laneFinished',
      'provisioning.laneStep',
      'provisioning.laneUpdated',
    ]);
    for (const secret of h.secrets) expect(JSON.stringify(received)).not.toContain(secret);
    await service.close();
  });

  it('keeps settings, refuses invalid ones with a typed error', async () => {
    const { dispatch, service } = station();
    expect(await dispatch('provisioning.setSettings', { verifyMode: 'station' }, { host: 'web' })).toMatchObject({
      ok: true,
      value: { verifyMode: 'station' },
    });
    expect(await dispatch('provisioning.setSettings', { verifyMode: 'sometimes' }, { host: 'web' })).toMatchObject({
      ok: false,
      error: { code: 'CONTRACT_INVALID_ARGUMENT' },
    });
    expect(await dispatch('provisioning.getSettings', {}, { host: 'web' })).toMatchObject({
      ok: true,
      value: { verifyMode: 'station' },
    });
    await service.close();
  });

  it('answers a waiting lane and stops the others', async () => {
    const { h, service, dispatch } = station();
    const device = new FakeDevice(h.platform);
    h.bench.devices.set('/dev/ttyA', device);
    const registered = h.platform.addDevice({ hwid: device.hwid });
    device.provision(registered.id, h.platform.addKey({ deviceIds: [registered.id] }));
    const started = (await dispatch('provisioning.start', { ports: ['/dev/ttyA'] }, { host: 'web' })) as {
      ok: true;
      value: { lanes: Array<{ id: string }> };
    };
    const laneId = started.value.lanes[0]!.id;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(service.lanes()[0]?.question?.kind).toBe('already-provisioned');
    expect(await dispatch('provisioning.answer', { laneId, answer: 'skip' }, { host: 'web' })).toEqual({
      ok: true,
      value: { accepted: true },
    });
    await service.idle();
    expect(service.lanes()[0]?.state).toBe('skipped');
    expect(await dispatch('provisioning.stop', {}, { host: 'web' })).toEqual({ ok: true, value: { stopped: 0 } });
    await service.close();
  });
});
