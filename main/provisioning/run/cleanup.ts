import type { RunOutcome } from '../../../common/contract/provisioning';
import type { RunRecord } from '../ports';
import { note, type RunContext } from './context';
import { isNewKey } from './commit';
import { helloAfterLoss } from './identify';
import { revokeKey, revokeKeysNamed } from './mint';

export interface CleanUp {
  outcome: RunOutcome;
  newKey: NonNullable<RunRecord['newKey']>;
  /** The new key could not be revoked now: the intent stays open for start-up reconciliation. */
  pendingReconcile: boolean;
}

/** Clean-up gets its own time, independent of the step that failed or the stop that ended it. */
const cleanupSignal = () => AbortSignal.timeout(30_000);

async function revokeNew(ctx: RunContext): Promise<CleanUp> {
  const { key, keyName } = ctx.state;
  let revoked = false;
  try {
    if (key) revoked = await revokeKey(ctx, key.id, cleanupSignal());
    else if (keyName) revoked = await revokeKeysNamed(ctx, keyName, cleanupSignal());
  } catch {
    revoked = false;
  }
  if (!revoked) {
    note(
      ctx,
      `The new key ${key?.id ?? keyName ?? ''} could not be revoked now; Keyline revokes it at its next start.`,
    );
    return { outcome: 'failed', newKey: 'revoke-failed', pendingReconcile: true };
  }
  return { outcome: 'failed', newKey: 'revoked', pendingReconcile: false };
}

/** Best effort: a device that keeps staged credentials of a revoked key is harmless, but tidy it. */
async function discardStaged(ctx: RunContext): Promise<void> {
  try {
    await ctx.state.link?.discard(AbortSignal.timeout(5000));
  } catch {
    note(ctx, 'The device did not discard its staged credentials; they were revoked on the platform and are useless.');
  }
}

/**
 * After a failure: the device is left on its previous credentials and the new key revoked (no
 * orphan active key) — unless the device may already run on the new key, where its own `hello`
 * decides, and a device that cannot be asked leaves the run `unresolved` with the key active.
 */
export async function cleanUpAfterFailure(ctx: RunContext): Promise<CleanUp> {
  switch (ctx.state.phase) {
    case 'before-mint':
      return { outcome: 'failed', newKey: 'none', pendingReconcile: false };
    case 'mint-unknown':
    case 'minted':
      return await revokeNew(ctx);
    case 'staged':
      await discardStaged(ctx);
      return await revokeNew(ctx);
    case 'committing':
    case 'committed': {
      try {
        await ctx.state.link?.rollback(AbortSignal.timeout(10_000));
      } catch {
        // The device's own hello below says where it ended up.
      }
      const hello = await helloAfterLoss(ctx);
      if (!hello || isNewKey(ctx, hello.slots.active)) {
        note(ctx, `The device may run on the new key ${ctx.state.key?.id ?? ''}: it stays active until settled.`);
        return { outcome: 'unresolved', newKey: 'kept', pendingReconcile: false };
      }
      if (isNewKey(ctx, hello.slots.staged)) await discardStaged(ctx);
      return await revokeNew(ctx);
    }
    case 'confirmed':
      // The device runs on the proven new key: nothing to undo.
      return { outcome: 'failed', newKey: 'kept', pendingReconcile: false };
  }
}
