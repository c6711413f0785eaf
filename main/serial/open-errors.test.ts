import { describe, expect, it } from 'vitest';
import { openError, type OpenErrorEnvironment } from './open-errors';

const linux = (gid: number | undefined): OpenErrorEnvironment => ({
  platform: 'linux',
  user: 'tech',
  deviceGroup: async () => gid,
  groupFile: async () => 'root:x:0:\ntty:x:5:\ndialout:x:20:tech2\nuucp:x:14:\n',
});

describe('openError', () => {
  it('explains EACCES on Linux with the usermod command for the device group and a udev rule', async () => {
    const error = await openError(
      '/dev/ttyUSB0',
      new Error('Error: Permission denied, cannot open /dev/ttyUSB0'),
      linux(20),
    );
    expect(error.code).toBe('SERIAL_PERMISSION_DENIED');
    expect(error.message).toContain('sudo usermod -aG dialout tech');
    expect(error.message).toContain('/etc/udev/rules.d/60-keyline-serial.rules');
    const uucp = await openError('/dev/ttyUSB0', Object.assign(new Error('x'), { code: 'EACCES' }), linux(14));
    expect(uucp.message).toContain('sudo usermod -aG uucp tech');
    const tty = await openError('/dev/pts/3', Object.assign(new Error('x'), { code: 'EACCES' }), linux(5));
    expect(tty.message).toContain('sudo usermod -aG dialout tech');
  });

  it('says which program may hold a busy port, and mentions ModemManager for ttyACM', async () => {
    const error = await openError(
      '/dev/ttyACM0',
      new Error('Error Resource temporarily unavailable Cannot lock port'),
      linux(20),
    );
    expect(error.code).toBe('SERIAL_PORT_BUSY');
    expect(error.message).toContain('sudo fuser -v /dev/ttyACM0');
    expect(error.message).toContain('ModemManager');
    const usb = await openError(
      '/dev/ttyUSB1',
      new Error('Error: Device or resource busy, cannot open /dev/ttyUSB1'),
      linux(20),
    );
    expect(usb.code).toBe('SERIAL_PORT_BUSY');
    expect(usb.message).not.toContain('ModemManager');
  });

  it('tells a vanished port from any other failure', async () => {
    const missing = await openError(
      '/dev/ttyUSB9',
      new Error('Error: No such file or directory, cannot open /dev/ttyUSB9'),
      linux(20),
    );
    expect(missing.code).toBe('SERIAL_PORT_NOT_FOUND');
    const other = await openError('/dev/ttyUSB9', new Error('Error: Input/output error'), linux(20));
    expect(other.code).toBe('SERIAL_OPEN_FAILED');
  });
});
