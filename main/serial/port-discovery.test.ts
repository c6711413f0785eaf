import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { discoverPorts, withLaneKeys } from './port-discovery';

let root: string;
let dev: string;
let sys: string;

/** A fake Linux: /dev nodes (plain files), sysfs with the usual USB layout, symlinks and all. */
async function usbTty(
  name: string,
  usbPath: string,
  ids: { vendor: string; product: string; serial?: string; driver: string },
) {
  await writeFile(path.join(dev, name), '');
  const usbDevice = path.join(sys, 'devices', 'pci0000:00', 'usb1', usbPath);
  const iface = path.join(usbDevice, `${usbPath}:1.0`);
  const ttyDevice = name.startsWith('ttyACM') ? iface : path.join(iface, name);
  await mkdir(ttyDevice, { recursive: true });
  await writeFile(path.join(usbDevice, 'idVendor'), `${ids.vendor}\n`);
  await writeFile(path.join(usbDevice, 'idProduct'), `${ids.product}\n`);
  if (ids.serial) await writeFile(path.join(usbDevice, 'serial'), `${ids.serial}\n`);
  const driver = path.join(sys, 'bus', 'usb', 'drivers', ids.driver);
  await mkdir(driver, { recursive: true });
  await symlink(driver, path.join(ttyDevice, 'driver'));
  await mkdir(path.join(sys, 'class', 'tty', name), { recursive: true });
  await symlink(ttyDevice, path.join(sys, 'class', 'tty', name, 'device'));
}

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'keyline-discovery-'));
  dev = path.join(root, 'dev');
  sys = path.join(root, 'sys');
  await mkdir(path.join(dev, 'serial', 'by-id'), { recursive: true });
  await usbTty('ttyUSB0', '1-2.1', { vendor: '10c4', product: 'ea60', serial: '0001', driver: 'cp210x' });
  await usbTty('ttyUSB1', '1-2.2', { vendor: '10c4', product: 'ea60', serial: '0001', driver: 'cp210x' });
  await usbTty('ttyUSB2', '1-2.3', { vendor: '1a86', product: '7523', driver: 'ch341' });
  await usbTty('ttyUSB3', '1-2.4', { vendor: '0403', product: '6001', serial: 'A10KZP3Q', driver: 'ftdi_sio' });
  await usbTty('ttyACM0', '1-3', { vendor: '303a', product: '1001', serial: 'F4:12:FA:00:11:22', driver: 'cdc_acm' });
  await usbTty('ttyUSB4', '1-4', { vendor: '1234', product: '5678', driver: 'pl2303' });
  await writeFile(path.join(dev, 'ttyS0'), '');
  await symlink(path.join(dev, 'ttyUSB3'), path.join(dev, 'serial', 'by-id', 'usb-FTDI_FT232R_A10KZP3Q-if00-port0'));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const noUdevadm = async () => {
  throw new Error('spawn udevadm ENOENT');
};

describe('discoverPorts', () => {
  it('falls back to scanning /dev and sysfs when SerialPort.list() fails, and says why', async () => {
    const result = await discoverPorts({ list: noUdevadm, devDir: dev, sysDir: sys, platform: 'linux' });
    expect(result.method).toBe('scan');
    expect(result.listError).toContain('udevadm');
    expect(result.ports.map((port) => [path.basename(port.path), port.family])).toEqual([
      ['ttyACM0', 'CDC-ACM'],
      ['ttyUSB0', 'CP210x'],
      ['ttyUSB1', 'CP210x'],
      ['ttyUSB2', 'CH34x'],
      ['ttyUSB3', 'FTDI'],
    ]);
    const ftdi = result.ports.find((port) => port.path.endsWith('ttyUSB3'))!;
    expect(ftdi).toMatchObject({ vendorId: '0403', productId: '6001', serialNumber: 'A10KZP3Q', usbPath: '1-2.4' });
    expect(ftdi.byId).toBe('usb-FTDI_FT232R_A10KZP3Q-if00-port0');
    expect(result.filtered).toEqual([
      { path: path.join(dev, 'ttyUSB4'), reason: expect.stringContaining('1234:5678 is not a known serial adapter') },
    ]);
  });

  it('keys lanes by unique serial number, else by USB socket, never by a serial that clones share', async () => {
    const { ports } = await discoverPorts({ list: noUdevadm, devDir: dev, sysDir: sys, platform: 'linux' });
    const keys = Object.fromEntries(ports.map((port) => [path.basename(port.path), port.laneKey]));
    expect(keys).toEqual({
      ttyACM0: 'usb-serial:303a:1001:F4:12:FA:00:11:22',
      ttyUSB0: 'usb-path:1-2.1',
      ttyUSB1: 'usb-path:1-2.2',
      ttyUSB2: 'usb-path:1-2.3',
      ttyUSB3: 'usb-serial:0403:6001:A10KZP3Q',
    });
    expect(ports.find((port) => port.path.endsWith('ttyUSB2'))!.laneKeyReason).toContain('no serial number');
    expect(ports.find((port) => port.path.endsWith('ttyUSB0'))!.laneKeyReason).toContain('shared');
  });

  it('keeps the lane when a port re-enumerates under another name', () => {
    const before = withLaneKeys([{ path: '/dev/ttyUSB0', realPath: '/dev/ttyUSB0', source: 'scan', usbPath: '1-2.3' }]);
    const after = withLaneKeys([{ path: '/dev/ttyUSB1', realPath: '/dev/ttyUSB1', source: 'scan', usbPath: '1-2.3' }]);
    expect(after[0]!.laneKey).toBe(before[0]!.laneKey);
    const twins = withLaneKeys([
      {
        path: '/dev/ttyUSB0',
        realPath: '/dev/ttyUSB0',
        source: 'scan',
        vendorId: '0403',
        productId: '6001',
        serialNumber: 'X1',
        usbPath: '1-1',
      },
      {
        path: '/dev/ttyUSB1',
        realPath: '/dev/ttyUSB1',
        source: 'scan',
        vendorId: '0403',
        productId: '6001',
        serialNumber: 'X1',
        usbPath: '1-2',
      },
    ]);
    expect(twins.map((port) => port.laneKey)).toEqual(['usb-path:1-1', 'usb-path:1-2']);
  });

  it('merges list() results with sysfs details, filters built-in UARTs, and offers user paths as they are', async () => {
    const pty = path.join(root, 'my-device');
    await writeFile(path.join(root, 'pts-7'), '');
    await symlink(path.join(root, 'pts-7'), pty);
    const result = await discoverPorts({
      list: async () => [
        { path: path.join(dev, 'ttyS0') },
        { path: path.join(dev, 'ttyUSB2'), manufacturer: 'wch.cn', vendorId: '1A86', productId: '7523' },
      ],
      devDir: dev,
      sysDir: sys,
      platform: 'linux',
      userPaths: [pty, path.join(root, 'missing')],
    });
    expect(result.method).toBe('list');
    const ch340 = result.ports.find((port) => port.path.endsWith('ttyUSB2'))!;
    expect(ch340).toMatchObject({ source: 'list', manufacturer: 'wch.cn', vendorId: '1a86', usbPath: '1-2.3' });
    expect(result.ports.find((port) => port.path === pty)).toMatchObject({
      source: 'user',
      realPath: path.join(root, 'pts-7'),
      laneKey: `path:${pty}`,
    });
    expect(result.filtered).toContainEqual({
      path: path.join(dev, 'ttyS0'),
      reason: expect.stringContaining('built-in UART'),
    });
    expect(result.filtered).toContainEqual({
      path: path.join(root, 'missing'),
      reason: expect.stringContaining('does not exist'),
    });
  });

  it('offers unknown USB adapters only when asked to', async () => {
    const result = await discoverPorts({
      list: noUdevadm,
      devDir: dev,
      sysDir: sys,
      platform: 'linux',
      allowUnknownAdapters: true,
    });
    expect(result.ports.some((port) => port.path.endsWith('ttyUSB4'))).toBe(true);
    expect(result.filtered).toEqual([]);
  });
});
