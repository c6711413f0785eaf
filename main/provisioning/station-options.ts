import type { StepName } from '../../common/contract/provisioning';
import type { DeviceConnector } from './ports';

/** What the composition root may change about the app's pipeline (tests, the sandbox). */
export interface StationProvisioningOptions {
  /** Opens ports; the station's guarded serial link by default (a test may pass another). */
  connector?: DeviceConnector;
  timeouts?: Partial<Record<StepName, number>>;
  /** The station's name in the journal; the host name by default. */
  station?: string;
}
