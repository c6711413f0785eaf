import { ProvisioningError } from '../errors';
import { credentialFingerprint, fingerprintPrefix } from '../fingerprint';
import type { MintedKey, PlatformDevice, PlatformKey } from '../ports';
import { isCreateOutcomeUnknown, isNotFound } from '../platform-errors';
import { keyNameFor } from '../run-id';
import type { RunContext } from './context';
import { createWithRateLimitRetry } from './create-retry';

export function keyDescription(ctx: RunContext, time: Date): string {
  return `Keyline station ${ctx.deps.station}, operator ${ctx.deps.operator}, ${time.toISOString()}`.slice(0, 1000);
}

/**
 * Revokes a key the run minted and no device runs on. Deleting is final and leaves no orphan; if
 * the session may not delete, deactivating is the fallback. Answers whether the key is now unusable.
 */
export async function revokeKey(ctx: RunContext, keyId: string, signal: AbortSignal): Promise<boolean> {
  try {
    await ctx.platform.deleteKey(ctx.appId, keyId, signal);
    return true;
  } catch (error) {
    if (isNotFound(error)) return true;
    try {
      await ctx.platform.setKeyStatus(ctx.appId, keyId, 'inactive', signal);
      return true;
    } catch {
      return false;
    }
  }
}

/** Revokes every key named after this run (used when a create's answer was lost). */
export async function revokeKeysNamed(ctx: RunContext, name: string, signal: AbortSignal): Promise<boolean> {
  const keys = await ctx.platform.findKeysByName(ctx.appId, name, signal);
  let all = true;
  for (const key of keys.filter((k) => k.name === name)) {
    if (!(await revokeKey(ctx, key.id, signal))) all = false;
  }
  return all;
}

/**
 * One create call. From the moment the request leaves, a key of this run may exist, so the phase
 * says so (a failure is then cleaned up by the run's name); only a refusal the platform answered
 * proves that nothing was made.
 */
async function createOnce(
  ctx: RunContext,
  body: { name: string; description: string; deviceIds: string[] },
  signal: AbortSignal,
): Promise<MintedKey> {
  ctx.state.phase = 'mint-unknown';
  try {
    // A 429 proves nothing was made: it is tried again here, after its Retry-After.
    return await createWithRateLimitRetry(
      ctx,
      'mint',
      'key creation',
      () => ctx.platform.createKey(ctx.appId, body, signal),
      signal,
    );
  } catch (error) {
    if (!isCreateOutcomeUnknown(error) && !signal.aborted) ctx.state.phase = 'before-mint';
    throw error;
  }
}

async function createKey(ctx: RunContext, device: PlatformDevice, signal: AbortSignal): Promise<MintedKey> {
  const name = keyNameFor(ctx.input.runId);
  const body = { name, description: keyDescription(ctx, ctx.deps.clock.now()), deviceIds: [device.id] };
  try {
    return await createOnce(ctx, body, signal);
  } catch (error) {
    if (!isCreateOutcomeUnknown(error)) throw error;
    // The key may exist, but its secret is lost with the answer: it is useless. Find it by its
    // run name, revoke it, and only then create a fresh one.
    if (!(await revokeKeysNamed(ctx, name, signal))) {
      throw new ProvisioningError(
        'KEY_CREATE_UNKNOWN',
        'The platform did not answer the key creation and the key it may have made cannot be revoked now: ' +
          'Keyline revokes it at its next start; check the network and retry',
        { cause: error },
      );
    }
    // If this answer is lost too, the phase stays `mint-unknown` and the clean-up sweeps by name again.
    return await createOnce(ctx, body, signal);
  }
}

/** Whether the platform's answer restricts the key to exactly this device. */
function isRestrictedTo(key: PlatformKey, deviceId: string): boolean {
  return key.deviceIds?.length === 1 && key.deviceIds[0] === deviceId && !(key.deviceTags && key.deviceTags.length > 0);
}

/**
 * Step 3: journal the intent, then create an access key restricted to this one device and named
 * after the run. From here on the secret lives in this process's memory only.
 */
export async function mint(ctx: RunContext, device: PlatformDevice, signal: AbortSignal): Promise<void> {
  const { state, input, deps } = ctx;
  const hello = state.hello!;
  state.keyName = keyNameFor(input.runId);
  try {
    await deps.journal.appendIntent({
      runId: input.runId,
      time: deps.clock.now().toISOString(),
      station: deps.station,
      operator: deps.operator,
      applicationId: ctx.appId,
      port: input.portPath(),
      hwid: hello.hwid,
      model: hello.model,
      firmware: hello.firmware,
      deviceId: device.id,
      keyName: state.keyName,
      verifyMode: input.settings.verifyMode,
      rotation: state.rotation !== undefined,
      ...(state.rotation?.oldKey
        ? { oldKeyId: state.rotation.oldKey.id, oldKeyExclusive: state.rotation.exclusive }
        : {}),
    });
  } catch (error) {
    throw new ProvisioningError(
      'JOURNAL_FAILED',
      'The journal could not be written, so no key was created: check the disk and the data directory',
      { cause: error },
    );
  }
  state.intentWritten = true;
  const minted = await createKey(ctx, device, signal);
  const { secret, release, ...key } = minted;
  state.key = key;
  state.phase = 'minted';
  const releaseRegistry = deps.secrets(secret);
  state.releaseSecret = () => {
    releaseRegistry();
    release?.();
  };
  state.secret = secret;
  state.fingerprint = credentialFingerprint(key.key, secret);
  input.onProgress({ type: 'info', keyId: key.id, fingerprintPrefix: fingerprintPrefix(state.fingerprint) });
  if (!isRestrictedTo(key, device.id)) {
    throw new ProvisioningError(
      'KEY_NOT_RESTRICTED',
      `The platform answered key ${key.id} without restricting it to exactly device ${device.id}; Keyline revoked ` +
        'it. The platform or a proxy altered the request: report this to the platform administrator',
    );
  }
}
