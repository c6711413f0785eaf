import type { PortInfo } from './lane-manager';

/**
 * A port as discovery lists it, as the lanes know it: its path, and the identity that survives
 * re-enumeration (USB serial number, lane key).
 */
export function portInfo(port: { path: string; serialNumber?: string | undefined; laneKey: string }): PortInfo {
  return {
    path: port.path,
    ...(port.serialNumber ? { serialNumber: port.serialNumber } : {}),
    laneKey: port.laneKey,
  };
}
