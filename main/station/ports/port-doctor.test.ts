import { describe, expect, it } from 'vitest';
import type { DiscoveredPort, DiscoveryResult } from '../../serial';
import { SerialError } from '../../serial';
import type { OpenedDevice } from '../device-opener';
import { PortDoctor, type PortDoctorOptions } from './port-doctor';
import type { SystemFacts } from './system-facts';

function port(path: string, extra: Partial<DiscoveredPort> = {}): DiscoveredPort {
  return {
    path,
    realPath: path,
    source: 'list',
    family: 'CP210x',
    vendorId: '10c4',
    productId: 'ea60',
    laneKey: `path:${path}`,
    laneKeyReason: 'port path',
    ...extra,
  };
}

function facts(overrides: Partial<SystemFacts> = {}): SystemFacts {
  return {
    platform: 'linux',
    uid: 1000,
    user: 'ann',
    pid: 42,
    groups: async () => ['ann', 'dialout'],
    groupOf: async () => 'dialout',
    accessProblem: async () => undefined,
    holders: async () => [],
    modemManager: async () => 'not-running',
    ...overrides,
  };
}

function doctor(result: Partial<DiscoveryResult>, options: Partial<PortDoctorOptions> = {}): PortDoctor {
  return new PortDoctor({
    facts: facts(),
    prefs: () => ({ allowUnknownAdapters: false, usbIds: [] }),
    userPaths: () => [],
    simulated: () => [],
    sandboxActive: () => false,
    lanePorts: () => [],
    opener: async () => {
      throw new Error('not used');
    },
    discover: async () => ({ ports: [], filtered: [], method: 'list', ...result }),
    ...options,
  });
}

describe('PortDoctor', () => {
  it('explains a permission problem with the exact group command and the udev rule', async () => {
    const report = await doctor(
      { ports: [port('/dev/ttyUSB0')] },
      { facts: facts({ accessProblem: async () => 'EACCES', groups: async () => ['ann'] }) },
    ).examine();
    const [found] = report.ports;
    expect(found?.status).toBe('problem');
    expect(found?.diagnosis?.code).toBe('SERIAL_PERMISSION_DENIED');
    const commands = found?.diagnosis?.fixes.map((fix) => fix.command).join('\n');
    expect(commands).toContain('sudo usermod -aG dialout ann');
    expect(commands).toContain('/etc/udev/rules.d/60-keyline-serial.rules');
  });

  it('names the program that holds a busy port, and leaves a port this station holds alone', async () => {
    const holders = async (real: string) =>
      real === '/dev/ttyUSB0' ? [{ pid: 777, command: 'minicom' }] : [{ pid: 42, command: 'node' }];
    const report = await doctor(
      { ports: [port('/dev/ttyUSB0'), port('/dev/ttyUSB1')] },
      { facts: facts({ holders }) },
    ).examine();
    expect(report.ports[0]?.diagnosis?.message).toContain('minicom (pid 777)');
    expect(report.ports[0]?.diagnosis?.fixes[0]?.command).toBe('kill 777');
    expect(report.ports[1]?.status).toBe('in-use-here');
    expect(report.ports[1]?.diagnosis).toBeUndefined();
  });

  it('does not count socat, which holds both ends of a pseudo-terminal, as a program using the port', async () => {
    const pty = port('/tmp/bench/tty0', { realPath: '/dev/pts/7', source: 'user', family: undefined });
    const report = await doctor(
      { ports: [pty] },
      { facts: facts({ holders: async () => [{ pid: 900, command: 'socat' }] }), userPaths: () => ['/tmp/bench/tty0'] },
    ).examine();
    expect(report.ports[0]?.status).toBe('ready');
  });

  it('warns about ModemManager on a ttyACM port with the command to stop it', async () => {
    const report = await doctor(
      { ports: [port('/dev/ttyACM0', { family: 'CDC-ACM', vendorId: '2e8a' })] },
      { facts: facts({ modemManager: async () => 'running' }) },
    ).examine();
    expect(report.ports[0]?.diagnosis?.code).toBe('MODEMMANAGER_INTERFERENCE');
    expect(report.ports[0]?.diagnosis?.fixes.map((fix) => fix.command)).toContain('sudo systemctl stop ModemManager');
    expect(report.ports[0]?.diagnosis?.fixes[1]?.command).toContain('ATTRS{idVendor}=="2e8a"');
    expect(report.findings.map((finding) => finding.code)).toContain('MODEMMANAGER_INTERFERENCE');
  });

  it('says no device was found, and which lane lost its device', async () => {
    const report = await doctor(
      { filtered: [{ path: '/dev/ttyS0', reason: 'not a USB serial adapter' }] },
      { lanePorts: () => ['/dev/ttyUSB3'] },
    ).examine();
    const codes = report.findings.map((finding) => finding.code);
    expect(codes).toEqual(['NO_DEVICE_FOUND', 'SERIAL_PORT_NOT_FOUND']);
    expect(report.findings[1]?.title).toContain('/dev/ttyUSB3');
    expect(report.filtered).toEqual([{ path: '/dev/ttyS0', reason: 'not a USB serial adapter' }]);
  });

  it('keeps unknown USB adapters out unless their id is allowed, and says how to allow them', async () => {
    const unknown = port('/dev/ttyUSB5', { family: undefined, vendorId: '1234', productId: 'abcd' });
    const strict = await doctor({ ports: [unknown] }).examine();
    expect(strict.ports).toEqual([]);
    expect(strict.filtered[0]?.reason).toContain('add 1234:abcd to the USB ids in Settings');
    const allowed = await doctor(
      { ports: [unknown] },
      { prefs: () => ({ allowUnknownAdapters: false, usbIds: ['1234:abcd'] }) },
    ).examine();
    expect(allowed.ports.map((entry) => entry.path)).toEqual(['/dev/ttyUSB5']);
  });

  it('blocks real ports while the sandbox profile is active, but not its simulated units', async () => {
    const report = await doctor(
      { ports: [port('/dev/ttyUSB0'), port('/tmp/sandbox/tty0', { source: 'user', family: undefined })] },
      { sandboxActive: () => true, simulated: () => ['/tmp/sandbox/tty0'] },
    ).examine();
    expect(report.ports[0]).toMatchObject({ status: 'blocked', diagnosis: { title: 'sandbox — switch profile' } });
    expect(report.ports[1]).toMatchObject({ status: 'ready', simulated: true, source: 'sandbox' });
  });

  it('turns a failed open into the diagnosis the technician acts on', async () => {
    const opener = async (): Promise<OpenedDevice> => {
      throw new SerialError('SERIAL_PERMISSION_DENIED', 'Permission denied', { port: '/dev/ttyUSB0' });
    };
    const answer = await doctor({}, { opener, facts: facts({ groups: async () => ['ann'] }) }).tryOpen('/dev/ttyUSB0');
    expect(answer.ok).toBe(false);
    expect(answer.diagnosis?.fixes[0]?.command).toBe('sudo usermod -aG dialout ann');
  });
});
