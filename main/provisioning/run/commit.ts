import { describeError, ProvisioningError } from '../errors';
import type { DeviceHello, SlotInfo } from '../ports';
import { note, UnresolvedRun, type RunContext } from './context';
import { helloAfterLoss } from './identify';

/** Whether a slot holds this run's new key. */
export function isNewKey(ctx: RunContext, slot: SlotInfo | undefined): boolean {
  const { key, fingerprint } = ctx.state;
  if (!slot || !key) return false;
  if (slot.accessKey !== key.key) return false;
  if (slot.keyId && slot.keyId.toLowerCase() !== key.id.toLowerCase()) return false;
  return !fingerprint || !slot.fingerprintPrefix || fingerprint.startsWith(slot.fingerprintPrefix.toLowerCase());
}

function unresolved(ctx: RunContext, what: string): UnresolvedRun {
  return new UnresolvedRun({
    code: 'COMMIT_UNCONFIRMED',
    message:
      `The device did not answer after ${what} and cannot be asked which credentials it runs on: key ` +
      `${ctx.state.key?.id ?? '?'} stays active. Reconnect the device and settle this run from the History`,
  });
}

/** After a lost reply: the device's own `hello` says what happened. */
async function helloDecides(ctx: RunContext, what: string): Promise<DeviceHello> {
  const hello = await helloAfterLoss(ctx);
  if (!hello) throw unresolved(ctx, what);
  return hello;
}

/**
 * Step 6: the device makes the staged credentials active (keeping the former as `previous`), then
 * Keyline confirms so the device drops `previous`. A lost reply is settled by `hello`; a device
 * that cannot be asked leaves the run unresolved with its key active. For a rotation, the old key
 * is retired only now, and only if it belonged to this device alone.
 */
export async function commit(ctx: RunContext, signal: AbortSignal): Promise<void> {
  const { state } = ctx;
  const link = () => state.link!;
  try {
    await ctx.deps.journal.appendCommitStarted(ctx.input.runId);
  } catch (error) {
    throw new ProvisioningError(
      'JOURNAL_FAILED',
      'The journal could not be written, so the device was not told to commit: check the disk and retry',
      {
        cause: error,
      },
    );
  }
  state.phase = 'committing';
  for (let attempt = 1; ; attempt += 1) {
    try {
      await link().commit(signal);
      break;
    } catch (error) {
      const hello = await helloDecides(ctx, 'commit');
      if (isNewKey(ctx, hello.slots.active)) {
        note(ctx, 'The reply to commit was lost; hello shows the device runs on the new key.');
        break;
      }
      // Not committed, and the device said nothing about why (a reset, a lost frame): `hello`
      // shows the new key still staged, so committing once more is not blind.
      const deviceRefused = (error as { code?: unknown }).code === 'SERIAL_DEVICE_ERROR';
      if (
        attempt === 1 &&
        !deviceRefused &&
        !signal.aborted &&
        isNewKey(ctx, hello.slots.staged) &&
        !hello.slots.pending
      ) {
        note(
          ctx,
          'The device restarted or lost the commit before applying it; hello shows it still staged: committed again.',
        );
        continue;
      }
      state.phase = 'staged';
      throw new ProvisioningError(
        'COMMIT_FAILED',
        `The device could not make the new credentials active (${describeError(error).message}): retry, and if it ` +
          'repeats, the flash may be worn',
        { cause: error },
      );
    }
  }
  state.phase = 'committed';
  try {
    await link().confirm(signal);
  } catch (error) {
    const hello = await helloDecides(ctx, 'confirm');
    if (!isNewKey(ctx, hello.slots.active)) {
      state.phase = 'staged';
      throw new ProvisioningError(
        'COMMIT_FAILED',
        'The device went back to its previous credentials after commit: retry',
        {
          cause: error,
        },
      );
    }
    // The commit still awaits its confirm while `pending` is set (docs/serial-protocol.md §9). A first
    // provisioning has no `previous` either way, so `previous` alone cannot tell (the soak found a
    // unit left pending under a run recorded as passed).
    if (hello.slots.pending || hello.slots.previous) {
      // Confirm really failed: try once more on the fresh link. A second failure is explained by
      // the device's own code (explainDeviceRefusal) or, without one, as a commit that did not hold.
      try {
        await link().confirm(AbortSignal.timeout(10_000));
      } catch (again) {
        if ((again as { code?: unknown }).code === 'SERIAL_DEVICE_ERROR') throw again;
        throw new ProvisioningError(
          'COMMIT_FAILED',
          `The device made the new credentials active but could not confirm them (${describeError(again).code}): ` +
            'check the cable and power, then retry',
          { cause: again },
        );
      }
    } else {
      note(ctx, 'The reply to confirm was lost; hello shows it took effect.');
    }
  }
  state.phase = 'confirmed';
  await retireOldKey(ctx, signal);
}

async function retireOldKey(ctx: RunContext, signal: AbortSignal): Promise<void> {
  const rotation = ctx.state.rotation;
  if (!rotation) return;
  const { oldKey, exclusive } = rotation;
  if (!oldKey) {
    ctx.state.oldKeyFate = 'not-found';
    note(ctx, 'The key the device ran on before was not found in this application; nothing was retired.');
    return;
  }
  if (oldKey.id === ctx.state.key?.id) return;
  if (!exclusive) {
    ctx.state.oldKeyFate = 'left-shared';
    note(
      ctx,
      `The old key ${oldKey.id} is shared or tag-based (not restricted to this device alone): it was left active; ` +
        'review it on the platform.',
    );
    return;
  }
  const mode = ctx.input.settings.retireOldKey;
  try {
    if (mode === 'delete') await ctx.platform.deleteKey(ctx.appId, oldKey.id, signal);
    else await ctx.platform.setKeyStatus(ctx.appId, oldKey.id, 'inactive', signal);
    ctx.state.oldKeyFate = mode === 'delete' ? 'deleted' : 'deactivated';
  } catch (error) {
    ctx.state.oldKeyFate = 'kept';
    note(
      ctx,
      `The old key ${oldKey.id} could not be ${mode === 'delete' ? 'deleted' : 'deactivated'} ` +
        `(${describeError(error).code}): do it on the platform; the device already runs on the new key.`,
    );
  }
}
