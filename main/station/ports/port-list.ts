import type { StationPrefs } from '../../../common/contract/station';
import { discoverPorts, type DiscoveredPort, type DiscoveryOptions, type DiscoveryResult } from '../../serial';

export interface StationPortInfo extends DiscoveredPort {
  simulated: boolean;
}

export interface PortListOptions {
  prefs: Pick<StationPrefs, 'allowUnknownAdapters' | 'usbIds'>;
  /** Paths the technician watches or added (pseudo-terminals never show up by themselves). */
  userPaths: readonly string[];
  /** The sandbox's simulated units that are plugged in now. */
  simulated: readonly string[];
  /** discoverPorts, or a fake in tests. */
  discover?: (options: DiscoveryOptions) => Promise<DiscoveryResult>;
}

function usbId(port: DiscoveredPort): string | undefined {
  return port.vendorId ? `${port.vendorId}:${port.productId ?? '????'}`.toLowerCase() : undefined;
}

/**
 * The serial link's discovery with the station's filters on top: known adapters always, USB ids
 * the technician allowed in Settings, any USB serial device when "allow unknown adapters" is on,
 * the watched and added paths, and the sandbox's simulated units.
 */
export async function listStationPorts(options: PortListOptions): Promise<{
  ports: StationPortInfo[];
  filtered: DiscoveryResult['filtered'];
  method: 'list' | 'scan';
  listError?: string;
}> {
  const discover = options.discover ?? discoverPorts;
  const result = await discover({
    userPaths: [...new Set([...options.userPaths, ...options.simulated])],
    // Unknown USB adapters are judged here, against the technician's list.
    allowUnknownAdapters: true,
  });
  const simulated = new Set(options.simulated);
  const allowed = new Set(options.prefs.usbIds);
  // Virtual units (no socat) have no file to find: they are offered as the sandbox says they are.
  const found = new Set(result.ports.map((port) => port.path));
  const virtual = options.simulated.filter((entry) => !found.has(entry) && entry.includes('://'));
  const filtered = result.filtered.filter((entry) => !virtual.includes(entry.path));
  const ports: StationPortInfo[] = virtual.map((entry) => ({
    path: entry,
    realPath: entry,
    source: 'user',
    laneKey: `sandbox:${entry}`,
    laneKeyReason: 'a simulated unit of the sandbox',
    simulated: true,
  }));
  for (const port of result.ports) {
    const id = usbId(port);
    const known = port.family !== undefined || port.source === 'user';
    if (!known && !options.prefs.allowUnknownAdapters && !(id && allowed.has(id))) {
      filtered.push({
        path: port.path,
        reason: `USB device ${id ?? 'without ids'} is not a known serial adapter (CP210x, CH34x, FTDI, CDC-ACM): add ${id ?? 'its id'} to the USB ids in Settings, or allow unknown adapters`,
      });
      continue;
    }
    ports.push({ ...port, simulated: simulated.has(port.path) });
  }
  ports.sort((a, b) => a.path.localeCompare(b.path));
  return {
    ports,
    filtered,
    method: result.method,
    ...(result.listError !== undefined ? { listError: result.listError } : {}),
  };
}

/** How a port reads on a lane tile: the simulated unit, the adapter and its serial number, or the path. */
export function portLabel(port: StationPortInfo): string {
  if (port.simulated) return `Sandbox unit ${/(\d+)$/.exec(port.path)?.[1] ?? ''}`.trim();
  const parts = [port.product ?? port.family, port.serialNumber ? `serial ${port.serialNumber}` : undefined];
  const label = parts.filter(Boolean).join(', ');
  return label || (port.source === 'user' ? 'Added by hand' : 'Serial port');
}
