import type { SandboxFault, SandboxUnit } from '../../common/contract/sandbox';
import type { BuiltInProfile } from '../auth';
import type { DeviceOpener } from './device-opener';

/**
 * What the Station screen knows of the sandbox (main/host/sandbox starts it): the simulator's
 * profile, the application of its demo seed, and its simulated units. Nothing here imports a
 * simulator; only the sandbox folder does.
 */
export interface SandboxHandle {
  readonly profile: BuiltInProfile;
  readonly applicationId: string;
  /** Station-side paths of the simulated units. */
  simulatedPorts(): string[];
  /** How the units are reached: ptys (socat) or in-process virtual ports. */
  readonly transport: 'pty' | 'virtual';
  /** Opens the in-process virtual ports (absent on ptys: the serial link opens those). */
  readonly opener?: { owns(path: string): boolean; open: DeviceOpener };
  /** The simulator's base URL (loopback). */
  readonly platformUrl: string;
  units(): SandboxUnit[];
  setFault(port: string, fault: SandboxFault): Promise<SandboxUnit>;
  plug(port: string, plugged: boolean): Promise<SandboxUnit>;
  close(): Promise<void>;
}
