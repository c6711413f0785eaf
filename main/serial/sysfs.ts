import path from 'node:path';

/** The file operations discovery needs; real `node:fs/promises` in the station, a temp tree in tests. */
export interface DiscoveryFs {
  readdir(directory: string): Promise<string[]>;
  realpath(file: string): Promise<string>;
  readFile(file: string): Promise<string>;
}

export interface UsbIdentity {
  vendorId: string;
  productId: string;
  serialNumber?: string;
  manufacturer?: string;
  product?: string;
  /** Bus and hub ports, e.g. "1-2.3": stable for a physical socket as long as the hubs stay. */
  usbPath: string;
  /** The kernel driver's name for the interface, e.g. cp210x, ch341, ftdi_sio, cdc_acm. */
  driver?: string;
}

/**
 * Reads what Linux knows about a tty's USB device from sysfs, without udev: follow
 * /sys/class/tty/<name>/device up to the USB device directory (the one with idVendor).
 */
export async function usbIdentity(fs: DiscoveryFs, sysDir: string, ttyName: string): Promise<UsbIdentity | undefined> {
  let directory: string;
  try {
    directory = await fs.realpath(path.join(sysDir, 'class', 'tty', ttyName, 'device'));
  } catch {
    return undefined;
  }
  const driver = await fs
    .realpath(path.join(directory, 'driver'))
    .then((target) => path.basename(target))
    .catch(() => undefined);
  for (let depth = 0; depth < 4 && directory.length > 1; depth++) {
    const vendorId = await read(fs, path.join(directory, 'idVendor'));
    if (vendorId) {
      const productId = await read(fs, path.join(directory, 'idProduct'));
      if (!productId) return undefined;
      return {
        vendorId: vendorId.toLowerCase(),
        productId: productId.toLowerCase(),
        serialNumber: await read(fs, path.join(directory, 'serial')),
        manufacturer: await read(fs, path.join(directory, 'manufacturer')),
        product: await read(fs, path.join(directory, 'product')),
        usbPath: path.basename(directory),
        driver,
      };
    }
    directory = path.dirname(directory);
  }
  return undefined;
}

async function read(fs: DiscoveryFs, file: string): Promise<string | undefined> {
  try {
    const value = (await fs.readFile(file)).trim();
    return value === '' ? undefined : value;
  } catch {
    return undefined;
  }
}
