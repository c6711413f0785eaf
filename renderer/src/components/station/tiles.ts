import type { LaneScan, LaneView, StationPort, StepName } from '../../../../common/contract';

export interface Tile {
  /** 1-based, as the technician counts the lanes on the bench. */
  number: number;
  port: string;
  label: string;
  simulated: boolean;
  /** Present while the port is listed; absent when its device went missing. */
  present: boolean;
  blocked?: { code: string; message: string };
  lane?: LaneView;
  scan?: LaneScan;
  workOrder?: string;
}

/** One tile per port: the listed ports in order, then lanes whose device is gone from the list. */
export function buildTiles(
  ports: StationPort[],
  lanes: LaneView[],
  scans: LaneScan[],
  laneWorkOrders: Record<string, string>,
): Tile[] {
  const tiles: Tile[] = [];
  const used = new Set<string>();
  const scanOf = (port: string) => scans.find((scan) => scan.port === port);
  for (const port of ports) {
    const lane = lanes.find((view) => view.port === port.path);
    if (lane) used.add(lane.id);
    tiles.push({
      number: tiles.length + 1,
      port: port.path,
      label: port.label,
      simulated: port.simulated,
      present: true,
      ...(port.blocked ? { blocked: port.blocked } : {}),
      ...(lane ? { lane } : {}),
      ...(scanOf(port.path) ? { scan: scanOf(port.path) } : {}),
      ...(lane && laneWorkOrders[lane.id] ? { workOrder: laneWorkOrders[lane.id] } : {}),
    });
  }
  for (const lane of lanes) {
    if (used.has(lane.id)) continue;
    tiles.push({
      number: tiles.length + 1,
      port: lane.port,
      label: 'Device missing',
      simulated: false,
      present: false,
      lane,
      ...(scanOf(lane.port) ? { scan: scanOf(lane.port) } : {}),
      ...(laneWorkOrders[lane.id] ? { workOrder: laneWorkOrders[lane.id] } : {}),
    });
  }
  return tiles;
}

export const STEP_WORDS: Record<StepName, string> = {
  identify: 'Identifying the device',
  resolve: 'Finding its platform device',
  mint: 'Creating its access key',
  stage: 'Writing the credentials',
  verify: 'Verifying the device connects',
  commit: 'Making the credentials active',
  record: 'Recording in the journal',
};

export type TileState = 'ready' | 'blocked' | 'missing' | LaneView['state'];

export function tileState(tile: Tile): TileState {
  const running = tile.lane?.state === 'running' || tile.lane?.state === 'waiting';
  // A device pulled out after its run: what the bench has now is an empty socket.
  if (!tile.present && !running) return 'missing';
  if (tile.lane && tile.lane.state !== 'idle') return tile.lane.state;
  if (tile.blocked) return 'blocked';
  return 'ready';
}

/** The one-line status of a tile, in words. */
export function headline(tile: Tile): string {
  const lane = tile.lane;
  switch (tileState(tile)) {
    case 'ready':
      return 'Ready';
    case 'blocked':
      return 'sandbox — switch profile';
    case 'missing':
      return 'Device missing';
    case 'running':
      return lane?.step ? STEP_WORDS[lane.step] : 'Starting';
    case 'waiting':
      return 'Waiting for your answer';
    case 'passed':
      return lane?.rotation ? 'PASSED — rotated' : 'PASSED';
    case 'failed':
      return 'FAILED';
    case 'skipped':
      return lane?.setAside ? 'SET ASIDE' : 'Skipped';
    case 'unresolved':
      return 'Needs a person';
    case 'idle':
      return 'Ready';
  }
}

/** Where a failure points, beyond Retry: the screen that fixes it. */
export function fixFor(
  code: string | undefined,
): { label: string; screen: 'settings' | 'ports' | 'devices' } | undefined {
  if (!code) return undefined;
  if (code.startsWith('SERIAL_PERMISSION') || code === 'SERIAL_PORT_BUSY' || code === 'SERIAL_PORT_NOT_FOUND') {
    return { label: 'Open the port doctor', screen: 'ports' };
  }
  if (
    code.startsWith('AUTH_') ||
    code === 'NO_APPLICATION' ||
    code.startsWith('SANDBOX') ||
    code.startsWith('LOOPBACK')
  ) {
    return { label: 'Open Settings', screen: 'settings' };
  }
  if (code === 'DEVICE_ALREADY_PROVISIONED') return { label: 'Re-provision it', screen: 'devices' };
  return undefined;
}
