import type { Handlers } from '../host/dispatcher';
import type { ProvisioningService } from '../provisioning';
import { StationError } from './errors';
import type { DecommissionDeps } from './device-care/decommission';
import { decommission } from './device-care/decommission';
import { checkDevice } from './device-care/device-check';
import type { DeviceOpener } from './device-opener';
import type { PlatformAccess } from './platform-access';
import type { PortDoctor } from './ports/port-doctor';
import type { StationService } from './station-service';

type StationHandlers = Pick<
  Handlers,
  | 'ports.doctor'
  | 'ports.tryOpen'
  | 'station.state'
  | 'station.startAll'
  | 'station.locate'
  | 'station.scan'
  | 'station.clearWorkOrder'
  | 'station.resetCounters'
  | 'station.laneDetails'
  | 'station.getPrefs'
  | 'station.setPrefs'
  | 'device.check'
  | 'device.rotate'
  | 'device.decommission'
>;

export interface StationHandlerDeps {
  station: StationService;
  doctor: PortDoctor;
  provisioning: ProvisioningService;
  opener: DeviceOpener;
  platform: () => Promise<PlatformAccess>;
  decommission: Omit<DecommissionDeps, 'workOrder'>;
}

/** The contract methods `ports.*`, `station.*` and `device.*`. */
export function stationHandlers(deps: StationHandlerDeps): StationHandlers {
  const { station, doctor } = deps;
  return {
    'ports.doctor': ({ paths }) => doctor.examine(paths ?? []),
    'ports.tryOpen': ({ path }) => doctor.tryOpen(path),
    'station.state': () => station.state(),
    'station.startAll': ({ ports }) => station.startAll(ports),
    'station.locate': ({ port }) => station.locate(port),
    'station.scan': ({ text, port }) => station.scan(text, port),
    'station.clearWorkOrder': () => ({ cleared: station.clearWorkOrder() }),
    'station.resetCounters': () => station.resetCounters(),
    'station.laneDetails': ({ laneId }) => station.laneDetails(laneId),
    'station.getPrefs': () => station.getPrefs(),
    'station.setPrefs': (patch) => station.setPrefs(patch),
    'device.check': ({ port }) =>
      checkDevice(port, {
        opener: deps.opener,
        platform: deps.platform,
        retireOldKey: async () => (await deps.provisioning.getSettings()).retireOldKey,
      }),
    'device.rotate': async ({ port }) => ({ lane: await station.rotate(port) }),
    'device.decommission': ({ port, platformDevice }) => {
      if (station.sandboxActive() && !station.isSimulated(port)) {
        throw new StationError(
          'SANDBOX_REAL_PORT',
          'sandbox — switch profile: the sandbox never wipes a real device; switch to a real platform in Settings first',
        );
      }
      const workOrder = station.state().workOrder;
      return decommission(port, platformDevice, { ...deps.decommission, ...(workOrder ? { workOrder } : {}) });
    },
  };
}
