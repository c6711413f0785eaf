import { readdir, readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { SerialPort } from 'serialport';
import type { DiscoveryFs } from './sysfs';
import { usbIdentity } from './sysfs';
import { adapterFamily, type AdapterFamily, SHARED_SERIAL_NUMBERS } from './usb-ids';

/** What `SerialPort.list()` answers, one entry per port. */
export interface ListedPort {
  path: string;
  manufacturer?: string;
  serialNumber?: string;
  pnpId?: string;
  locationId?: string;
  vendorId?: string;
  productId?: string;
}

export interface DiscoveredPort {
  /** The path to open: as listed, as found, or as the user added it. */
  path: string;
  /** The device node behind it (symlinks resolved). */
  realPath: string;
  /** Where it was found: `SerialPort.list()`, the /dev scan, or the user's paths. */
  source: 'list' | 'scan' | 'user';
  family?: AdapterFamily;
  vendorId?: string;
  productId?: string;
  serialNumber?: string;
  manufacturer?: string;
  product?: string;
  /** USB bus and hub ports ("1-2.3"), when known. */
  usbPath?: string;
  /** The /dev/serial/by-id name, when there is one. */
  byId?: string;
  /** Stable key of the lane this port belongs to (see `laneKeys`). */
  laneKey: string;
  /** Why the key is what it is, for the technician. */
  laneKeyReason: string;
}

export interface FilteredPort {
  path: string;
  reason: string;
}

export interface DiscoveryResult {
  ports: DiscoveredPort[];
  filtered: FilteredPort[];
  /** `list` when SerialPort.list() answered; `scan` when the station had to scan /dev itself. */
  method: 'list' | 'scan';
  /** Why SerialPort.list() failed, when it did. */
  listError?: string;
}

export interface DiscoveryOptions {
  /** `SerialPort.list`; injectable so the fallback is testable. */
  list?: () => Promise<ListedPort[]>;
  fs?: DiscoveryFs;
  platform?: NodeJS.Platform;
  /** Root of device nodes (default /dev). */
  devDir?: string;
  /** Root of sysfs (default /sys). */
  sysDir?: string;
  /** Paths the user added (pseudo-terminals never appear in list()); always offered. */
  userPaths?: readonly string[];
  /** Directories whose every entry is a user-added path (a bench's link folder, tests). */
  userDirs?: readonly string[];
  /** Offer USB serial devices whose ids are not in the known list too. */
  allowUnknownAdapters?: boolean;
}

const nodeFs: DiscoveryFs = {
  readdir: (directory) => readdir(directory),
  realpath: (file) => realpath(file),
  readFile: (file) => readFile(file, 'utf8'),
};

const SCANNED = /^tty(USB|ACM|CH343USB)\d+$/;

interface Candidate extends Omit<DiscoveredPort, 'laneKey' | 'laneKeyReason'> {
  reject?: string;
}

/**
 * Finds the serial ports a station can use. `SerialPort.list()` first; where it fails (no
 * `udevadm` in a container) or misses USB details, a scan of /dev/serial/by-id, /dev/ttyUSB*
 * and /dev/ttyACM* with sysfs for vendor, product, serial number and physical path. Ports that
 * are not known USB serial adapters are filtered out, each with the reason.
 */
export async function discoverPorts(options: DiscoveryOptions = {}): Promise<DiscoveryResult> {
  const fs = options.fs ?? nodeFs;
  const platform = options.platform ?? process.platform;
  const devDir = options.devDir ?? '/dev';
  const sysDir = options.sysDir ?? '/sys';
  const list = options.list ?? (() => SerialPort.list());
  const byReal = new Map<string, Candidate>();
  const filtered: FilteredPort[] = [];

  let method: DiscoveryResult['method'] = 'list';
  let listError: string | undefined;
  try {
    for (const port of await list()) {
      const real = await fs.realpath(port.path).catch(() => port.path);
      byReal.set(real, {
        path: port.path,
        realPath: real,
        source: 'list',
        vendorId: port.vendorId?.toLowerCase(),
        productId: port.productId?.toLowerCase(),
        serialNumber: port.serialNumber,
        manufacturer: port.manufacturer,
        byId: port.pnpId,
      });
    }
  } catch (error) {
    method = 'scan';
    listError = error instanceof Error ? error.message : String(error);
  }

  if (platform === 'linux') {
    // Even when list() answers, a container without a udev database gives no USB details: the scan fills them in.
    const byId = new Map<string, string>();
    for (const name of await fs.readdir(path.join(devDir, 'serial', 'by-id')).catch(() => [])) {
      const real = await fs.realpath(path.join(devDir, 'serial', 'by-id', name)).catch(() => undefined);
      if (real) byId.set(real, name);
    }
    const nodes = (await fs.readdir(devDir).catch(() => [])).filter((name) => SCANNED.test(name));
    for (const name of nodes) {
      const real = path.join(devDir, name);
      if (!byReal.has(real)) byReal.set(real, { path: real, realPath: real, source: 'scan' });
    }
    for (const candidate of byReal.values()) {
      const name = path.basename(candidate.realPath);
      if (byId.has(candidate.realPath)) candidate.byId ??= byId.get(candidate.realPath);
      const usb = await usbIdentity(fs, sysDir, name);
      if (!usb) continue;
      candidate.vendorId ??= usb.vendorId;
      candidate.productId ??= usb.productId;
      candidate.serialNumber ??= usb.serialNumber;
      candidate.manufacturer ??= usb.manufacturer;
      candidate.product ??= usb.product;
      candidate.usbPath = usb.usbPath;
      if (usb.driver === 'cdc_acm') candidate.family = 'CDC-ACM';
    }
  }

  for (const candidate of byReal.values()) {
    candidate.family ??= adapterFamily(candidate.vendorId, candidate.productId);
    if (!candidate.family && /ttyACM\d+$/.test(candidate.realPath)) candidate.family = 'CDC-ACM';
    if (candidate.family) continue;
    if (!candidate.vendorId) {
      candidate.reject = 'not a USB serial adapter (no USB vendor/product id): a built-in UART or a virtual port';
    } else if (!options.allowUnknownAdapters) {
      candidate.reject = `USB device ${candidate.vendorId}:${candidate.productId ?? '????'} is not a known serial adapter (CP210x, CH34x, FTDI, CDC-ACM); allow unknown adapters to use it`;
    }
  }

  const users = [...(options.userPaths ?? [])];
  for (const directory of options.userDirs ?? []) {
    for (const name of (await fs.readdir(directory).catch(() => [])).sort()) users.push(path.join(directory, name));
  }
  for (const userPath of users) {
    const real = await fs.realpath(userPath).catch(() => undefined);
    if (!real) {
      filtered.push({ path: userPath, reason: 'added by the user, but it does not exist (now)' });
      continue;
    }
    // A user's path wins over the same device found by list or scan: it is the name they chose.
    // A second user path to the same device is only an alias.
    const known = byReal.get(real);
    if (known?.source === 'user') {
      filtered.push({ path: userPath, reason: `the same device as ${known.path}` });
      continue;
    }
    byReal.set(real, { ...(known ?? {}), path: userPath, realPath: real, source: 'user', reject: undefined });
  }

  const accepted: Candidate[] = [];
  for (const candidate of byReal.values()) {
    if (candidate.reject) filtered.push({ path: candidate.path, reason: candidate.reject });
    else accepted.push(candidate);
  }
  accepted.sort((a, b) => a.path.localeCompare(b.path));
  const ports = withLaneKeys(accepted);
  return listError === undefined ? { ports, filtered, method } : { ports, filtered, method, listError };
}

/**
 * Gives each port the key of its lane, so a port that re-enumerates (ttyUSB0 → ttyUSB1 after a
 * reset) keeps its lane: the USB serial number where it identifies one adapter (present, unique
 * among the ports now, and not a number clones share), else the physical USB path (bus and hub
 * ports, with a label the station can save per socket), else the path itself (ptys, user paths).
 */
export function withLaneKeys(
  ports: ReadonlyArray<Omit<DiscoveredPort, 'laneKey' | 'laneKeyReason'>>,
): DiscoveredPort[] {
  const serialCounts = new Map<string, number>();
  const serialKey = (port: (typeof ports)[number]) =>
    port.serialNumber ? `${port.vendorId ?? ''}:${port.productId ?? ''}:${port.serialNumber}` : undefined;
  for (const port of ports) {
    const key = serialKey(port);
    if (key) serialCounts.set(key, (serialCounts.get(key) ?? 0) + 1);
  }
  return ports.map((port) => {
    const { reject: _reject, ...clean } = port as Candidate;
    const key = serialKey(port);
    if (key && port.serialNumber && !SHARED_SERIAL_NUMBERS.has(port.serialNumber) && serialCounts.get(key) === 1) {
      return { ...clean, laneKey: `usb-serial:${key}`, laneKeyReason: 'USB serial number (unique)' };
    }
    if (port.usbPath) {
      const why = port.serialNumber ? 'its serial number is shared with other adapters' : 'it has no serial number';
      return { ...clean, laneKey: `usb-path:${port.usbPath}`, laneKeyReason: `USB socket ${port.usbPath} (${why})` };
    }
    return { ...clean, laneKey: `path:${port.path}`, laneKeyReason: 'port path (no USB identity)' };
  });
}
