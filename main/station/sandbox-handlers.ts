import type { Handlers } from '../host/dispatcher';
import { StationError } from './errors';
import type { SandboxHandle } from './sandbox-handle';
import type { StationService } from './station-service';

type SandboxHandlers = Pick<Handlers, 'sandbox.info' | 'sandbox.setFault' | 'sandbox.plug'>;

function off(): never {
  throw new StationError(
    'SANDBOX_OFF',
    'The sandbox is not running: this station works against a real platform (Settings → Platform)',
  );
}

/** The contract methods `sandbox.*`: the units and their faults, or SANDBOX_OFF on a real station. */
export function sandboxHandlers(sandbox: SandboxHandle | undefined, station: StationService): SandboxHandlers {
  return {
    'sandbox.info': () =>
      sandbox
        ? { running: true, transport: sandbox.transport, platformUrl: sandbox.platformUrl, units: sandbox.units() }
        : { running: false, transport: null, platformUrl: null, units: [] },
    'sandbox.setFault': ({ port, fault }) => (sandbox ? sandbox.setFault(port, fault) : off()),
    'sandbox.plug': async ({ port, plugged }) => {
      if (!sandbox) off();
      const unit = await sandbox.plug(port, plugged);
      await station.refreshPorts();
      return unit;
    },
  };
}
