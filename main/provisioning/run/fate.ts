import type { RunPhase, RunContext } from './context';
import type { CleanUp } from './cleanup';

/**
 * One sentence on what a failed run left behind, for the lane's error: where the device stands,
 * whether its old key still works, and what became of the new key. Read from the phase the run had
 * reached when it failed and from what the clean-up did, so it never claims more than is known.
 */
export function credentialFate(ctx: RunContext, phase: RunPhase, cleanUp: CleanUp): string | undefined {
  if (cleanUp.outcome !== 'failed') return undefined;
  const { key, keyName, rotation, hello } = ctx.state;
  const hadCredentials = hello?.slots.active !== undefined;
  // A create whose answer was lost has no id: the clean-up swept the key by its run name.
  const newKeyWords = key ? `the new key ${key.id}` : `any key named ${keyName ?? ''}`;
  const oldKey = rotation
    ? `its old key${rotation.oldKey ? ` ${rotation.oldKey.id}` : ''} was not touched and still works`
    : undefined;
  let device: string;
  switch (phase) {
    case 'before-mint':
    case 'mint-unknown':
    case 'minted':
      device = 'The device was not changed';
      break;
    case 'staged':
      device = hadCredentials
        ? 'The device keeps its previous credentials'
        : 'The device holds no credentials, as before';
      break;
    case 'committing':
    case 'committed':
      device = hadCredentials
        ? 'The device runs on its previous credentials again'
        : 'The device holds no active credentials again, as before';
      break;
    case 'confirmed':
      return 'The device runs on the new, verified key.';
  }
  let newKey: string | undefined;
  if (cleanUp.newKey === 'revoked') newKey = `${newKeyWords} was revoked`;
  else if (cleanUp.newKey === 'revoke-failed') {
    newKey = `${newKeyWords} could not be revoked now (Keyline revokes it at its next start)`;
  } else if (cleanUp.newKey === 'none') newKey = phase === 'before-mint' ? 'no key was created' : undefined;
  return `${[device, oldKey, newKey].filter(Boolean).join('; ')}.`;
}
