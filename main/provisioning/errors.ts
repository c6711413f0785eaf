import { KeylineError } from '../../common/errors';

/**
 * Why a lane failed, as a code a script can match and a message a technician can act on. Errors of
 * the serial link and the platform client keep their own codes (SERIAL_*, PLATFORM_*) when the
 * pipeline has nothing more specific to say; these are the pipeline's own.
 */
export type ProvisioningErrorCode =
  | 'DEVICE_CLASS_CANNOT_CONNECT'
  | 'DEVICE_AMBIGUOUS_HWID'
  | 'DEVICE_NOT_REGISTERED'
  | 'DEVICE_ID_MISMATCH'
  | 'DEVICE_ALREADY_PROVISIONED'
  | 'DEVICE_HWID_CHANGED'
  | 'DEVICE_UNPLUGGED'
  | 'DEVICE_BAD_HELLO'
  | 'DEVICE_REFUSED'
  | 'NONCE_ATTRIBUTE_MISSING'
  | 'KEY_NOT_RESTRICTED'
  | 'KEY_CREATE_UNKNOWN'
  | 'FINGERPRINT_MISMATCH'
  | 'STAGE_FAILED'
  | 'VERIFY_AUTH_FAILED'
  | 'VERIFY_NO_NETWORK'
  | 'VERIFY_CLOCK_INVALID'
  | 'VERIFY_REPORT_FAILED'
  | 'VERIFY_NONCE_NOT_SEEN'
  | 'VERIFY_STATION_AUTH_FAILED'
  | 'COMMIT_FAILED'
  | 'COMMIT_UNCONFIRMED'
  | 'STEP_TIMEOUT'
  | 'RUN_STOPPED'
  | 'NO_APPLICATION'
  | 'JOURNAL_FAILED';

export class ProvisioningError extends KeylineError<ProvisioningErrorCode> {
  constructor(code: ProvisioningErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'ProvisioningError';
  }
}

/** The code and message of anything thrown, for lanes, events and journal records. */
export function describeError(error: unknown): { code: string; message: string } {
  if (error instanceof KeylineError) return { code: error.code, message: error.message };
  if (error instanceof Error && error.name === 'AbortError') {
    return { code: 'RUN_STOPPED', message: 'The run was stopped before it finished' };
  }
  if (error instanceof Error && error.name === 'TimeoutError') {
    return { code: 'STEP_TIMEOUT', message: 'A step took longer than its time limit' };
  }
  return { code: 'INTERNAL', message: 'Unexpected failure; see the station log' };
}

/** Whether a failure means "the reply never came" (the operation may or may not have happened). */
export function isReplyLost(error: unknown): boolean {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return true;
  const code = (error as { code?: unknown } | undefined)?.code;
  return (
    code === 'SERIAL_TIMEOUT' ||
    code === 'SERIAL_PORT_CLOSED' ||
    code === 'SERIAL_DEVICE_GONE' ||
    code === 'STEP_TIMEOUT' ||
    code === 'DEVICE_UNPLUGGED'
  );
}
