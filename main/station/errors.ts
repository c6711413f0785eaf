import { KeylineError } from '../../common/errors';

/** Why the Station screen, its guards or its device care refused or failed. */
export type StationErrorCode =
  /** The sandbox profile is active and the port is not one of its simulated units. */
  | 'SANDBOX_REAL_PORT'
  /** A physical device would be given a platform address on this computer. */
  | 'LOOPBACK_PLATFORM_REAL_PORT'
  /** The stage request itself carried a loopback platform address for a physical device. */
  | 'SERIAL_STAGE_REFUSED'
  /** The serial number scanned for a lane is not the hwid its device reports. */
  | 'SCANNED_SERIAL_MISMATCH'
  | 'LANE_NOT_FOUND'
  | 'PORT_BUSY_WITH_LANE'
  | 'ROTATION_POLICY_SKIP'
  | 'NOT_SIGNED_IN'
  | 'NO_APPLICATION'
  | 'DEVICE_NOT_ON_PLATFORM'
  /** A sandbox control, while the station runs against a real platform. */
  | 'SANDBOX_OFF';

export class StationError extends KeylineError<StationErrorCode> {
  constructor(code: StationErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'StationError';
  }
}
