import { KeylineError } from '../../common/errors';

export type SerialErrorCode =
  | 'SERIAL_TIMEOUT'
  | 'SERIAL_CRC'
  | 'SERIAL_PORT_CLOSED'
  | 'SERIAL_DEVICE_GONE'
  | 'SERIAL_DEVICE_RESET'
  | 'SERIAL_DEVICE_ERROR'
  | 'SERIAL_PROTOCOL_UNSUPPORTED'
  | 'SERIAL_BAD_REPLY'
  | 'SERIAL_NOT_SUPPORTED'
  | 'SERIAL_TOO_LARGE'
  | 'SERIAL_INVALID_REQUEST'
  | 'SERIAL_FINGERPRINT_MISMATCH'
  | 'SERIAL_TEST_FAILED'
  | 'SERIAL_ABORTED'
  | 'SERIAL_PERMISSION_DENIED'
  | 'SERIAL_PORT_BUSY'
  | 'SERIAL_PORT_NOT_FOUND'
  | 'SERIAL_OPEN_FAILED';

export interface SerialErrorDetails {
  /** The port path the error happened on. */
  port?: string;
  /** The protocol operation in progress. */
  op?: string;
  /** SERIAL_DEVICE_ERROR: the device's own code (docs/serial-protocol.md §6.1). */
  deviceCode?: string;
  /** SERIAL_PROTOCOL_UNSUPPORTED: the version the device speaks. */
  deviceVersion?: number;
  /** For operations that change the device: whether it may have happened despite the error. */
  outcomeUnknown?: boolean;
  cause?: unknown;
}

/**
 * Every failure of the serial link. Messages name the port, the operation and what to do, and are
 * built from ids, codes and statuses only: never from a request payload, so never from a secret.
 * Text that comes from the device (its error message) is redacted before it is put in.
 */
export class SerialError extends KeylineError<SerialErrorCode> {
  readonly port: string | undefined;
  readonly op: string | undefined;
  readonly deviceCode: string | undefined;
  readonly deviceVersion: number | undefined;
  readonly outcomeUnknown: boolean;

  constructor(code: SerialErrorCode, message: string, details: SerialErrorDetails = {}) {
    super(code, message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'SerialError';
    this.port = details.port;
    this.op = details.op;
    this.deviceCode = details.deviceCode;
    this.deviceVersion = details.deviceVersion;
    this.outcomeUnknown = details.outcomeUnknown ?? false;
  }
}

export function isSerialError(value: unknown, code?: SerialErrorCode): value is SerialError {
  return value instanceof SerialError && (code === undefined || value.code === code);
}

/** What a technician can do about a device error code. */
export const DEVICE_ERROR_ADVICE: Readonly<Record<string, string>> = {
  BAD_REQUEST: 'The station and the firmware disagree about the protocol; update the firmware.',
  UNKNOWN_OP: 'The firmware does not implement this operation; update the firmware.',
  TOO_LARGE: 'The request is larger than the device accepts.',
  BUSY: 'The device was still working on an earlier request; retry in a moment.',
  NO_STAGED: 'Nothing is staged on the device; stage credentials first.',
  NO_ACTIVE: 'The device has no active credentials.',
  NO_PREVIOUS: 'There is no commit to roll back.',
  COMMIT_PENDING: 'An earlier commit awaits confirm or rollback; settle it first.',
  FLASH_WRITE_FAILED:
    'The device could not write its flash; nothing changed. Retry once; if it fails again the unit has a hardware fault: set it aside.',
  HWID_MISMATCH: 'The device on this port is not the unit you meant; check the cable.',
  INTERNAL: 'The firmware failed; power-cycle the unit and retry.',
};
