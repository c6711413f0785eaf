import { describe, expect, it } from 'vitest';
import type { EventName, LaneView } from '../../common/contract';
import { EventHub } from '../host/event-hub';
import { createLogger } from '../host/logger';
import type { ProvisioningService } from '../provisioning';
import { SecretRedactor } from '../security/secret-redactor';
import type { PrefsStore } from './prefs-store';
import { StationService } from './station-service';
import { DEFAULT_STATION_PREFS } from '../../common/contract/station';

function lane(patch: Partial<LaneView>): LaneView {
  return {
    id: 'lane-1',
    port: '/dev/ttyUSB0',
    state: 'idle',
    progress: 0,
    steps: [],
    notes: [],
    attempts: 0,
    ...patch,
  };
}

function setup() {
  const hub = new EventHub();
  const seen: Array<{ event: EventName; payload: unknown }> = [];
  hub.subscribe((event, payload) => seen.push({ event, payload }));
  const lanes: LaneView[] = [];
  const stopped: string[][] = [];
  const prefs = {
    current: () => DEFAULT_STATION_PREFS,
    get: async () => DEFAULT_STATION_PREFS,
  } as unknown as PrefsStore;
  const auth = { state: () => ({ status: 'signedOut', profileId: 'losant', problem: null }) } as never;
  let now = 1_000_000;
  const station = new StationService({
    hub,
    prefs,
    auth,
    opener: async () => {
      throw new Error('no ports here');
    },
    platform: async () => {
      throw new Error('no platform here');
    },
    logger: createLogger({ redactor: new SecretRedactor(), level: 'silent' }),
    now: () => now,
    pollMs: 0,
    discover: async () => ({
      ports: ['/dev/ttyUSB0', '/dev/ttyUSB1'].map((path) => ({
        path,
        realPath: path,
        source: 'list' as const,
        family: 'CP210x' as const,
        laneKey: `path:${path}`,
        laneKeyReason: 'test',
      })),
      filtered: [],
      method: 'list',
    }),
  });
  station.attach({
    lanes: () => lanes,
    stop: (ids: string[]) => (stopped.push(ids), ids.length),
    settings: () => ({ watchedPorts: [] }),
    portArrived: () => undefined,
    portLeft: () => undefined,
  } as unknown as ProvisioningService);
  const events = station.laneEvents({
    laneAdded: () => undefined,
    laneUpdated: () => undefined,
    laneStep: () => undefined,
    laneFinished: () => undefined,
    batch: () => undefined,
  });
  return { station, hub, seen, lanes, stopped, events, advance: (ms: number) => (now += ms) };
}

describe('StationService', () => {
  it('stamps a scanned work order on lanes started after the scan, until it is cleared', async () => {
    const { station, events } = setup();
    await station.refreshPorts();
    events.laneUpdated(lane({ runId: 'r0', state: 'running' }));
    expect(station.scan('wo-55').kind).toBe('work-order');
    events.laneUpdated(lane({ id: 'lane-2', port: '/dev/ttyUSB1', runId: 'r1', state: 'running' }));
    station.clearWorkOrder();
    events.laneUpdated(lane({ id: 'lane-3', runId: 'r2', state: 'running' }));
    expect([station.workOrderOf('r0'), station.workOrderOf('r1'), station.workOrderOf('r2')]).toEqual([
      undefined,
      'wo-55',
      undefined,
    ]);
    expect(station.state().laneWorkOrders).toEqual({ 'lane-2': 'wo-55' });
    await station.close();
  });

  it('gives a scanned serial to the chosen port, else to the first port waiting for a label', async () => {
    const { station } = setup();
    await station.refreshPorts();
    expect(station.scan('SN-1', '/dev/ttyUSB1').port).toBe('/dev/ttyUSB1');
    expect(station.scan('SN-2').port).toBe('/dev/ttyUSB0');
    expect(station.scan('SN-3').message).toContain('no port is waiting for a label');
    expect(station.expectedSerial('/dev/ttyUSB0')).toBe('SN-2');
    await station.close();
  });

  it('marks the label a mismatch when hello refused the unit (the lane never learnt its hwid)', async () => {
    const { station, events } = setup();
    await station.refreshPorts();
    station.scan('SN-EXPECTED', '/dev/ttyUSB0');
    events.laneFinished(
      lane({
        runId: 'r1',
        state: 'failed',
        error: { code: 'SCANNED_SERIAL_MISMATCH', message: 'The serial number scanned for this lane ...' },
      }),
    );
    expect(station.state().scans).toEqual([{ port: '/dev/ttyUSB0', serial: 'SN-EXPECTED', check: 'mismatch' }]);
    await station.close();
  });

  it('stops a running lane whose device is not the scanned label, and says so', async () => {
    const { station, events, stopped, lanes } = setup();
    await station.refreshPorts();
    station.scan('SN-EXPECTED', '/dev/ttyUSB0');
    const running = lane({ runId: 'r1', state: 'running', hwid: 'SN-OTHER' });
    lanes.push(running);
    events.laneUpdated(running);
    expect(stopped).toEqual([['lane-1']]);
    expect(station.state().scans).toEqual([{ port: '/dev/ttyUSB0', serial: 'SN-EXPECTED', check: 'mismatch' }]);
    await station.close();
  });

  it('counts outcomes, rates passes per hour, and announces each outcome with its reason', async () => {
    const { station, events, seen, advance } = setup();
    events.laneUpdated(lane({ runId: 'r1', state: 'running' }));
    advance(30 * 60_000);
    events.laneFinished(lane({ runId: 'r1', state: 'passed', hwid: 'H1' }));
    events.laneFinished(
      lane({
        id: 'lane-2',
        runId: 'r2',
        state: 'failed',
        hwid: 'H2',
        error: { code: 'VERIFY_NO_NETWORK', message: 'No network' },
      }),
    );
    expect(station.state().session).toMatchObject({ passed: 1, failed: 1, perHour: 2 });
    const notices = seen.filter((entry) => entry.event === 'station.notify').map((entry) => entry.payload);
    expect(notices).toEqual([
      expect.objectContaining({ outcome: 'passed', title: 'Passed: H1', sound: true, notification: true }),
      expect.objectContaining({ outcome: 'failed', title: 'Failed: H2', body: 'No network' }),
    ]);
    expect(station.resetCounters()).toMatchObject({ passed: 0, failed: 0, perHour: 0 });
    await station.close();
  });
});
