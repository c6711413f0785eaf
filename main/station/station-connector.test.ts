import { describe, expect, it } from 'vitest';
import type { DeviceClient } from '../serial';
import type { OpenedDevice } from './device-opener';
import { isLoopbackUrl, stationConnector, type ConnectorGuards } from './station-connector';

/** A unit that answers hello with its hwid and records what it was asked to stage. */
function fakeUnit(hwid: string) {
  const staged: unknown[] = [];
  const opened: string[] = [];
  const client = {
    hello: async () => ({
      proto: 1,
      model: 'KL-THERMO',
      hwid,
      fw: '1.0.0',
      caps: [],
      slots: { pending: false },
    }),
    stage: async (request: unknown) => {
      staged.push(request);
      return { fingerprint: 'ab'.repeat(32) };
    },
  } as unknown as DeviceClient;
  const opener = async (path: string): Promise<OpenedDevice> => {
    opened.push(path);
    return { path, client, close: async () => undefined };
  };
  return { opener, staged, opened };
}

function guards(overrides: Partial<ConnectorGuards> = {}): ConnectorGuards {
  return {
    isSimulated: () => false,
    sandboxActive: () => false,
    apiUrl: async () => 'https://api.example.com',
    expectedSerial: () => undefined,
    ...overrides,
  };
}

// Not a pseudo-terminal and not a file that resolves: the connector treats it as a physical port.
const PHYSICAL = '/dev/ttyUSB-keyline-test';
const signal = new AbortController().signal;
const stage = { deviceId: 'a'.repeat(24), accessKey: 'key', secret: 's'.repeat(64) };

describe('stationConnector', () => {
  it('refuses a real port while the sandbox is active, before opening it', async () => {
    const unit = fakeUnit('KL-1');
    const connector = stationConnector(unit.opener, guards({ sandboxActive: () => true }));
    await expect(connector.open(PHYSICAL, signal)).rejects.toMatchObject({ code: 'SANDBOX_REAL_PORT' });
    expect(unit.opened).toEqual([]);
  });

  it('refuses a physical port when the platform is this computer, before opening it', async () => {
    const unit = fakeUnit('KL-1');
    const connector = stationConnector(unit.opener, guards({ apiUrl: async () => 'http://127.0.0.1:8080' }));
    await expect(connector.open(PHYSICAL, signal)).rejects.toMatchObject({ code: 'LOOPBACK_PLATFORM_REAL_PORT' });
    expect(unit.opened).toEqual([]);
  });

  it('never stages a loopback platform address on a physical device', async () => {
    const unit = fakeUnit('KL-1');
    const link = await stationConnector(unit.opener, guards()).open(PHYSICAL, signal);
    await expect(link.stage({ ...stage, apiUrl: 'http://[::1]:9000' }, signal)).rejects.toMatchObject({
      code: 'SERIAL_STAGE_REFUSED',
    });
    expect(unit.staged).toEqual([]);
    await link.stage({ ...stage, apiUrl: 'https://api.example.com' }, signal);
    expect(unit.staged).toHaveLength(1);
  });

  it('stages a loopback address on a simulated unit (the sandbox)', async () => {
    const unit = fakeUnit('KL-1');
    const link = await stationConnector(
      unit.opener,
      guards({ isSimulated: () => true, sandboxActive: () => true }),
    ).open('sandbox://unit-1', signal);
    await link.stage({ ...stage, apiUrl: 'http://127.0.0.1:8080' }, signal);
    expect(unit.staged).toHaveLength(1);
  });

  it('fails hello when the scanned label is not the unit', async () => {
    const unit = fakeUnit('KL-1');
    const link = await stationConnector(unit.opener, guards({ expectedSerial: () => 'KL-2' })).open(PHYSICAL, signal);
    await expect(link.hello(signal)).rejects.toMatchObject({ code: 'SCANNED_SERIAL_MISMATCH' });
    const matching = await stationConnector(unit.opener, guards({ expectedSerial: () => 'KL-1' })).open(
      PHYSICAL,
      signal,
    );
    await expect(matching.hello(signal)).resolves.toMatchObject({ hwid: 'KL-1' });
  });

  it('knows a loopback address in every spelling', () => {
    for (const url of [
      'http://127.0.0.1:1',
      'http://127.8.9.10',
      'http://localhost',
      'http://[::1]:5',
      'http://x.localhost',
    ])
      expect(isLoopbackUrl(url), url).toBe(true);
    for (const url of ['https://api.losant.com', 'http://10.0.0.2', 'http://[::2]', 'not a url'])
      expect(isLoopbackUrl(url), url).toBe(false);
  });
});
