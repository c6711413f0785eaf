import type { ActionOutcome, ActionPreview, ActionTarget, InspectAction } from '../../common/contract/inspect';
import { isPlatformError, type PlatformError } from '../platform';
import { describeImpact } from './action-impact';
import { applyAction, journalActionName, loadTarget, permissionFor, type LoadedTarget } from './action-target';
import type { InspectEntry, InspectJournal } from './inspect-journal';
import type { PermissionAnswer } from './permissions';
import type { InspectPlatform } from './platform-access';

/** A 401 or 403 on an action: the platform said this session may not do it. */
export function isRefusal(error: unknown): error is PlatformError {
  return isPlatformError(error, 'PLATFORM_FORBIDDEN') || isPlatformError(error, 'PLATFORM_UNAUTHORIZED');
}

function notAllowedReason(error: PlatformError): string {
  return `The platform refused it (${error.status ?? 'no status'}): ${error.message}`;
}

/** What the confirmation says. Reading the record may itself be refused: that is "not allowed" too. */
export async function previewAction(
  platform: InspectPlatform,
  permissions: PermissionAnswer,
  target: ActionTarget,
  action: InspectAction,
  signal?: AbortSignal,
): Promise<ActionPreview> {
  const reason = permissions.reasonFor(permissionFor(target.kind));
  let loaded: LoadedTarget;
  try {
    loaded = await loadTarget(platform.client, target, signal);
  } catch (error) {
    if (!isRefusal(error)) throw error;
    return {
      title: `${action} ${target.kind}`,
      consequence: 'Not allowed for you.',
      details: [],
      confirmLabel: 'Not allowed',
      irreversible: action === 'delete',
      allowed: false,
      notAllowedReason: notAllowedReason(error),
    };
  }
  const own = await platform.ownTokenId(signal).catch(() => undefined);
  const impact = await describeImpact(platform.client, loaded, action, own, signal);
  return { ...impact, allowed: reason === null, notAllowedReason: reason };
}

function journalIds(target: ActionTarget): Partial<InspectEntry> {
  if (target.kind === 'accessKey') return { applicationId: target.applicationId, accessKeyId: target.id };
  if (target.kind === 'apiToken') return { applicationId: target.applicationId, detail: { targetId: target.id } };
  return { detail: { targetId: target.id } };
}

/**
 * Does the action and journals it. The journal is opened first: when it cannot take the record,
 * nothing is changed. A refusal (401/403) is journaled and answered as "not allowed for you".
 */
export async function runAction(
  platform: InspectPlatform,
  journal: InspectJournal,
  context: { station: string },
  target: ActionTarget,
  action: InspectAction,
  signal?: AbortSignal,
): Promise<ActionOutcome> {
  const session = await journal.open();
  const base: InspectEntry = {
    action: journalActionName(target, action),
    ...journalIds(target),
    operator: platform.operator.slice(0, 256),
    station: context.station.slice(0, 256),
  };
  try {
    try {
      await applyAction(platform.client, target, action, signal);
    } catch (error) {
      if (isRefusal(error)) {
        await session.append({ ...base, result: 'not-allowed', error: { code: error.code, message: error.message } });
        return {
          outcome: 'notAllowed',
          message: 'Not allowed for you.',
          reason: notAllowedReason(error),
          journaled: true,
        };
      }
      const info =
        error instanceof Error &&
        'code' in error &&
        typeof error.code === 'string' &&
        /^[A-Z][A-Z0-9_]{1,63}$/.test(error.code)
          ? { code: error.code, message: error.message.slice(0, 2000) }
          : { code: 'INTERNAL', message: 'The action failed unexpectedly' };
      await session.append({ ...base, result: 'failed', error: info }).catch(() => undefined);
      throw error;
    }
    const done = { deactivate: 'Deactivated', reactivate: 'Reactivated', delete: 'Deleted' }[action];
    try {
      await session.append({ ...base, result: 'done' });
    } catch (error) {
      // It happened on the platform: say so, and that the record is missing, rather than fail.
      const why = error instanceof Error ? error.message : 'unknown reason';
      return {
        outcome: 'done',
        message: `${done}, but the journal could not record it: ${why}`,
        reason: null,
        journaled: false,
      };
    }
    return { outcome: 'done', message: `${done}.`, reason: null, journaled: true };
  } finally {
    await session.close();
  }
}
