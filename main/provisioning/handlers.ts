import type { Handlers } from '../host/dispatcher';
import type { EventHub } from '../host/event-hub';
import type { LaneEvents } from './lane-manager';
import type { ProvisioningService } from './service';

type ProvisioningHandlers = Pick<
  Handlers,
  | 'provisioning.start'
  | 'provisioning.stop'
  | 'provisioning.retry'
  | 'provisioning.answer'
  | 'provisioning.lanes'
  | 'provisioning.getSettings'
  | 'provisioning.setSettings'
>;

/** The contract methods `provisioning.*` over the service. */
export function provisioningHandlers(service: ProvisioningService): ProvisioningHandlers {
  return {
    'provisioning.start': async ({ ports }) => ({ lanes: await service.start(ports) }),
    'provisioning.stop': ({ laneIds }) => ({ stopped: service.stop(laneIds) }),
    'provisioning.retry': async ({ laneIds }) => ({ lanes: await service.retry(laneIds) }),
    'provisioning.answer': ({ laneId, answer }) => ({ accepted: service.answer(laneId, answer) }),
    'provisioning.lanes': () => ({ lanes: service.lanes(), counters: service.counters() }),
    'provisioning.getSettings': () => service.getSettings(),
    'provisioning.setSettings': (patch) => service.setSettings(patch),
  };
}

/** Lane events as contract events on the hub (the window and the web host subscribe there). */
export function laneEventsTo(hub: EventHub): LaneEvents {
  return {
    laneAdded: (view) => hub.emit('provisioning.laneAdded', view),
    laneUpdated: (view) => hub.emit('provisioning.laneUpdated', view),
    laneStep: (step) => hub.emit('provisioning.laneStep', step),
    laneFinished: (view) => hub.emit('provisioning.laneFinished', view),
    batch: (counters) => hub.emit('provisioning.batch', counters),
  };
}
