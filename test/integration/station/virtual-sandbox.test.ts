import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LaneView } from '../../../common/contract';
import { startVirtualUnits, DEMO_UNITS, type SandboxUnits } from '../../../main/host/sandbox/units';
import { virtualOpener } from '../../../main/host/sandbox/virtual-opener';
import { PlatformClient, staticTokenSource } from '../../../main/platform';
import { platformPort, ProvisioningService, SettingsStore, type LaneEvents } from '../../../main/provisioning';
import { SecretRedactor } from '../../../main/security/secret-redactor';
import { listStationPorts, stationConnector, type ConnectorGuards } from '../../../main/station';
import { startPlatform, type Platform } from '../provisioning/harness';

/**
 * The sandbox without socat (Windows, macOS): units behind in-process virtual ports, reached
 * through a serialport binding of our own, provisioned by the real pipeline against the platform
 * simulator. The station's guards are checked on the same connector.
 */
describe('sandbox units on in-process virtual ports', () => {
  let platform: Platform;
  let units: SandboxUnits;
  let dataDir: string;
  const redactor = new SecretRedactor();

  beforeAll(async () => {
    platform = await startPlatform();
    units = await startVirtualUnits(DEMO_UNITS);
    dataDir = await mkdtemp(path.join(tmpdir(), 'keyline-virtual-'));
  });

  afterAll(async () => {
    await units?.close();
    await platform?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  function service(guards: Partial<ConnectorGuards>, finished: LaneView[]): ProvisioningService {
    const ports = new Set(units.devices.map((device) => device.port));
    const events: LaneEvents = {
      laneAdded: () => undefined,
      laneUpdated: () => undefined,
      laneStep: () => undefined,
      batch: () => undefined,
      laneFinished: (view) => finished.push(view),
    };
    const client = new PlatformClient({
      apiUrl: platform.url,
      tokens: staticTokenSource(platform.seed.apiToken),
      redactor,
    });
    return new ProvisioningService({
      dataDir,
      redactor,
      connector: stationConnector(virtualOpener(units.binding!, redactor), {
        isSimulated: (port) => ports.has(port),
        sandboxActive: () => true,
        apiUrl: async () => platform.url,
        expectedSerial: () => undefined,
        ...guards,
      }),
      target: async () => ({
        platform: platformPort(client),
        applicationId: platform.seed.applicationId,
        operator: 'virtual test',
      }),
      settings: new SettingsStore(dataDir),
      station: 'virtual-bench',
      events,
      lockCommand: 'virtual sandbox test',
    });
  }

  it('lists the virtual units as ports of their own', async () => {
    const listed = await listStationPorts({
      prefs: { allowUnknownAdapters: false, usbIds: [] },
      userPaths: [],
      simulated: units.devices.map((device) => device.port),
      discover: async () => ({ ports: [], filtered: [], method: 'scan' }),
    });
    expect(listed.ports.map((port) => [port.path, port.simulated])).toEqual(
      units.devices.map((device) => [device.port, true]),
    );
  });

  it('provisions all four units through the real pipeline', async () => {
    const finished: LaneView[] = [];
    const pipeline = service({}, finished);
    try {
      await pipeline.start(units.devices.map((device) => device.port));
      await pipeline.idle();
    } finally {
      await pipeline.close();
    }
    expect(finished.map((lane) => [lane.hwid, lane.state])).toEqual(
      expect.arrayContaining(DEMO_UNITS.map((unit) => [unit.hwid, 'passed'])),
    );
    expect(finished).toHaveLength(4);
  });

  it('fails a lane whose scanned label is not its device, before any key exists', async () => {
    const finished: LaneView[] = [];
    const target = units.devices[1]!;
    const keysBefore = (await platform.keys()).length;
    const pipeline = service(
      { expectedSerial: (port) => (port === target.port ? 'KL-DEMO-9999' : undefined) },
      finished,
    );
    try {
      await pipeline.start([target.port]);
      await pipeline.idle();
    } finally {
      await pipeline.close();
    }
    expect(finished[0]?.state).toBe('failed');
    expect(finished[0]?.error?.code).toBe('SCANNED_SERIAL_MISMATCH');
    expect(finished[0]?.error?.message).toContain('KL-DEMO-9999');
    expect((await platform.keys()).length).toBe(keysBefore);
  });

  it('refuses a real port in the sandbox, and a loopback platform for a physical port', async () => {
    const real = '/dev/ttyUSB-keyline-not-there';
    for (const [guards, code] of [
      [{}, 'SANDBOX_REAL_PORT'],
      [{ sandboxActive: () => false }, 'LOOPBACK_PLATFORM_REAL_PORT'],
    ] as const) {
      const finished: LaneView[] = [];
      const pipeline = service(guards, finished);
      try {
        await pipeline.start([real]);
        await pipeline.idle();
      } finally {
        await pipeline.close();
      }
      expect(finished[0]?.error?.code).toBe(code);
    }
  });

  it('a unit pulled out mid-conversation fails its lane with a device-gone error; plugged back, it works again', async () => {
    const unit = units.devices[3]!;
    const opener = virtualOpener(units.binding!, redactor);
    const device = await opener(unit.port);
    await unit.unplug();
    await expect(device.client.hello({ signal: AbortSignal.timeout(5000) })).rejects.toMatchObject({
      code: expect.stringMatching(/SERIAL_(DEVICE_GONE|PORT_CLOSED)/),
    });
    await device.close();
    await unit.replug();
    await new Promise((resolve) => setTimeout(resolve, 600));
    const again = await opener(unit.port);
    try {
      expect((await again.client.hello({ signal: AbortSignal.timeout(5000) })).hwid).toBe(unit.hwid);
    } finally {
      await again.close();
    }
  });
});
