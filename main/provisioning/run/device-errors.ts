import type { StepName } from '../../../common/contract/provisioning';
import { ProvisioningError, type ProvisioningErrorCode } from '../errors';

/**
 * A device's own refusal (`ok:false` with its code, docs/serial-protocol.md §6.1), in plain words:
 * what the device was asked, what it said, and what to do. The run's clean-up decides what became
 * of the credentials, so that sentence is added after it (see `credentialFate`).
 */
export class DeviceRefusal extends ProvisioningError {
  constructor(
    code: ProvisioningErrorCode,
    /** What the device was asked and what it answered, one sentence without a final stop. */
    readonly happened: string,
    /** What the technician does next, one sentence without a final stop. */
    readonly advice: string,
    options?: { cause?: unknown },
  ) {
    super(code, `${happened}. ${advice}`, options);
  }
}

const ASKED: Record<string, string> = {
  hello: 'say which unit it is and what it holds',
  stage: 'store the new credentials in its staging slot',
  test: 'test the new credentials against the platform',
  commit: 'make the new credentials active',
  confirm: 'confirm the new credentials it had just made active',
  rollback: 'go back to its previous credentials',
  discard: 'discard the staged credentials',
};

const ANSWERED: Record<string, string> = {
  FLASH_WRITE_FAILED: 'it could not write its flash memory',
  BUSY: 'it was still busy with an earlier request',
  NO_STAGED: 'it held no staged credentials',
  NO_ACTIVE: 'it held no active credentials',
  NO_PREVIOUS: 'it had no earlier credentials to go back to',
  COMMIT_PENDING: 'an earlier commit was still waiting to be confirmed or rolled back',
  BAD_REQUEST: 'it did not accept the request as the station sent it',
  UNKNOWN_OP: 'its firmware does not know this operation',
  TOO_LARGE: 'the request was larger than it accepts',
  HWID_MISMATCH: 'it is not the unit identified on this port',
  INTERNAL: 'its firmware failed',
};

const ADVICE: Record<string, string> = {
  FLASH_WRITE_FAILED: "Retry once; if it fails again, the unit's flash is faulty: set the unit aside",
  BUSY: 'Retry in a moment',
  NO_STAGED: 'Retry: the next run starts from what the device holds now',
  NO_ACTIVE: 'Retry: the next run starts from what the device holds now',
  NO_PREVIOUS: 'Retry: the next run starts from what the device holds now',
  COMMIT_PENDING: 'Retry: the next run settles the earlier commit first',
  BAD_REQUEST: "The station and the device's firmware disagree about the protocol: update the firmware, then retry",
  UNKNOWN_OP: "The station and the device's firmware disagree about the protocol: update the firmware, then retry",
  TOO_LARGE: 'Shorten the settings sent to the device (MQTT broker URL), or update the firmware, then retry',
  HWID_MISMATCH: 'Check which unit is plugged into this port, then retry',
  INTERNAL: 'Power-cycle the unit and retry; if it repeats, set the unit aside',
};

/** The pipeline's code for a refusal during each step. */
const CODE: Record<StepName, ProvisioningErrorCode> = {
  identify: 'DEVICE_REFUSED',
  resolve: 'DEVICE_REFUSED',
  mint: 'DEVICE_REFUSED',
  stage: 'STAGE_FAILED',
  verify: 'DEVICE_REFUSED',
  commit: 'COMMIT_FAILED',
  record: 'DEVICE_REFUSED',
};

interface SerialLike {
  code?: unknown;
  op?: unknown;
  deviceCode?: unknown;
  cause?: unknown;
}

/** The device refusal behind an error (itself, or the cause a step wrapped it in). */
function refusalIn(error: unknown): SerialLike | undefined {
  for (let current = error as SerialLike | undefined, depth = 0; current && depth < 4; depth += 1) {
    if (current.code === 'SERIAL_DEVICE_ERROR') return current;
    current = current.cause as SerialLike | undefined;
  }
  return undefined;
}

/**
 * The device's own words from the serial client's message (`…refused "op": CODE, "words". advice`),
 * which has already escaped control characters, redacted secrets and cut them to 200 characters.
 */
function deviceSaid(refusal: SerialLike): string | undefined {
  const message = (refusal as { message?: unknown }).message;
  if (typeof message !== 'string') return undefined;
  return /refused "[^"]*": [^,"]*, "(.{1,200}?)"\. /s.exec(message)?.[1];
}

/**
 * Turns a device refusal during `step` (raw, or wrapped by the step) into a DeviceRefusal; answers
 * undefined for anything else, which keeps its own code and message.
 */
export function explainDeviceRefusal(step: StepName | undefined, error: unknown): DeviceRefusal | undefined {
  if (error instanceof DeviceRefusal) return error;
  const refusal = refusalIn(error);
  if (!refusal) return undefined;
  const op = typeof refusal.op === 'string' ? refusal.op : undefined;
  // The code is the device's own text: only a plain UPPER_SNAKE word is repeated.
  const deviceCode =
    typeof refusal.deviceCode === 'string' && /^[A-Z][A-Z0-9_]{0,39}$/.test(refusal.deviceCode)
      ? refusal.deviceCode
      : 'unknown';
  const asked = ASKED[op ?? ''] ?? `carry out "${op ?? 'a request'}"`;
  const answered = ANSWERED[deviceCode] ?? `it answered ${deviceCode}`;
  const code =
    op === 'confirm' || op === 'commit' ? 'COMMIT_FAILED' : op === 'stage' ? 'STAGE_FAILED' : CODE[step ?? 'record'];
  const said = deviceSaid(refusal);
  return new DeviceRefusal(
    code,
    `The device refused to ${asked}: ${answered} (device code ${deviceCode}${said ? `; it said "${said}"` : ''})`,
    ADVICE[deviceCode] ?? 'Retry; if it repeats, power-cycle the unit and check its firmware',
    { cause: error },
  );
}
