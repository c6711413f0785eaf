import { ProvisioningError } from '../errors';
import { fingerprintPrefix } from '../fingerprint';
import type { RunContext } from './context';

/**
 * Step 4: write device id, key, secret and URLs to the device's staging slot, and prove the write
 * by the fingerprint the device answers. The secret is never read back.
 */
export async function stage(ctx: RunContext, signal: AbortSignal): Promise<void> {
  const { state, input } = ctx;
  const { key, secret, device, link, fingerprint } = state;
  if (!key || secret === undefined || !device || !link || !fingerprint) throw new Error('stage before mint');
  // Staged from the moment the request leaves: a lost reply may hide a completed write.
  state.phase = 'staged';
  let answered: string;
  try {
    answered = (
      await link.stage(
        {
          deviceId: device.id,
          accessKey: key.key,
          keyId: key.id,
          secret,
          apiUrl: ctx.platform.apiUrl,
          ...(input.settings.mqttBroker ? { mqttBroker: input.settings.mqttBroker } : {}),
        },
        signal,
      )
    ).fingerprint.toLowerCase();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'SERIAL_FINGERPRINT_MISMATCH') {
      throw new ProvisioningError('FINGERPRINT_MISMATCH', (error as Error).message, { cause: error });
    }
    if (code === 'SERIAL_DEVICE_ERROR' || code === 'SERIAL_INVALID_REQUEST') {
      throw new ProvisioningError(
        'STAGE_FAILED',
        `The device could not store the new credentials in its staging slot (${(error as Error).message}): retry; if it repeats, the flash may be worn`,
        { cause: error },
      );
    }
    if (typeof code === 'string' && code.startsWith('SERIAL_')) throw error;
    throw new ProvisioningError(
      'STAGE_FAILED',
      'The device could not store the new credentials in its staging slot: retry; if it repeats, the flash may be worn',
      { cause: error },
    );
  }
  if (answered !== fingerprint) {
    throw new ProvisioningError(
      'FINGERPRINT_MISMATCH',
      `The device stored different credentials than were sent (fingerprint ${fingerprintPrefix(answered)} instead ` +
        `of ${fingerprintPrefix(fingerprint)}): the serial line may corrupt data; check the cable and retry`,
    );
  }
}
