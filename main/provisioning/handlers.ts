import type { Handlers } from '../host/dispatcher';
import type { EventHub } from '../host/event-hub';
import type { LaneEvents } from './lane-manager';
import type { ProvisioningService } from './service';

type ProvisioningHandlers = Pick<
  Handlers,
  | 'provisioning.start'
  | 'provisioning.stop'
  | 'provisioning.retry'
  | 'provisioning.skip'
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
    'provisioning.skip': async ({ laneIds }) => ({ lanes: await service.skip(laneIds) }),
    'provisioning.answer': ({ laneId, answer }) => ({ accepted: service.answer(laneId, answer) }),
    'provisioning.lanes': () => ({ lanes: service.lanes(), counters: service.counters() }),
    'provisioning.getSettings': () => service.getSettings(),
    'provisioning.setSettings': (patch) => service.setSettings(patch),
  };
}

/**
 * Lane events as contract events on the hub (the window and the web host subscribe there). The hub
 * checks each payload against the contract; a view it refuses is reported, and never stops a run.
 */
export function laneEventsTo(hub: EventHub, onRefused: (error: unknown) => void = () => undefined): LaneEvents {
  const emit = (send: () => void) => {
    try {
      send();
    } catch (error) {
      onRefused(error);
    }
  };
  return {
    laneAdded: (view) => emit(() => hub.emit('provisioning.laneAdded', view)),
    laneUpdated: (view) => emit(() => hub.emit('provisioning.laneUpdated', view)),
    laneStep: (step) => emit(() => hub.emit('provisioning.laneStep', step)),
    laneFinished: (view) => emit(() => hub.emit('provisioning.laneFinished', view)),
    batch: (counters) => emit(() => hub.emit('provisioning.batch', counters)),
  };
}
