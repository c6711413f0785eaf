import type { CredentialState, DeviceCheck, KeyView } from '../../../common/contract/device-care';
import type { SlotSummary } from '../../serial';
import { withDevice, type DeviceOpener } from '../device-opener';
import type { PlatformAccess } from '../platform-access';
import { findPlatformDevice, keysOfDevice } from './platform-lookup';

function slot(summary: SlotSummary | null) {
  if (!summary) return undefined;
  return {
    deviceId: summary.deviceId,
    accessKey: summary.key,
    ...(summary.keyId ? { keyId: summary.keyId } : {}),
    fingerprintPrefix: summary.fp,
  };
}

function describe(state: CredentialState, check: Pick<DeviceCheck, 'hwid' | 'keys'>, retire: string): string {
  const inUse = check.keys.find((key) => key.inUse);
  switch (state) {
    case 'unprovisioned':
      return `${check.hwid} has no credentials. "Rotate" provisions it for the first time.`;
    case 'provisioned':
      return inUse && !inUse.exclusive
        ? `${check.hwid} runs on key ${inUse.id}, which other devices share. Rotation gives it a key of its own; the shared key is left alone.`
        : `${check.hwid} runs on key ${inUse?.id ?? '(unknown)'}, active on the platform. Rotation gives it a new key first and proves it; only then is the old key ${retire}.`;
    case 'key-not-active':
      return `${check.hwid} runs on a key that is inactive or gone on the platform: it cannot connect. Rotation gives it a new, working key.`;
    case 'interrupted':
      return `${check.hwid} holds staged or uncommitted credentials from an interrupted run. The next run settles them first.`;
    case 'unknown':
      return `${check.hwid} has credentials, but the platform could not be asked about them.`;
  }
}

/**
 * A device's credential state from both sides: its slots (from `hello`, no secret ever) and, on the
 * platform, the device it maps to and the keys that let it in. What rotation would do follows.
 */
export async function checkDevice(
  port: string,
  deps: {
    opener: DeviceOpener;
    platform: () => Promise<PlatformAccess>;
    retireOldKey: () => Promise<'deactivate' | 'delete'>;
  },
): Promise<DeviceCheck> {
  const signal = AbortSignal.timeout(20_000);
  const info = await withDevice(deps.opener, port, (device) => device.client.hello({ signal }), signal);
  const { active, staged, previous, pending } = info.slots;
  const base = {
    port,
    hwid: info.hwid,
    model: info.model,
    firmware: info.fw,
    slots: {
      ...(slot(active) ? { active: slot(active) } : {}),
      ...(slot(staged) ? { staged: slot(staged) } : {}),
      ...(slot(previous) ? { previous: slot(previous) } : {}),
      pending: Boolean(pending),
    },
  };
  const retire = (await deps.retireOldKey()) === 'delete' ? 'deleted' : 'deactivated';
  let keys: KeyView[] = [];
  let platformDevice: DeviceCheck['platformDevice'];
  let platformProblem: string | undefined;
  try {
    const access = await deps.platform();
    const device = await findPlatformDevice(access.client, access.applicationId, info.hwid, active?.deviceId, signal);
    if (device) {
      platformDevice = {
        id: device.id,
        name: device.name,
        deviceClass: device.deviceClass,
        tags: device.tags.map((tag) => ({ key: tag.key, value: tag.value })),
      };
      keys = (await keysOfDevice(access.client, access.applicationId, device.id, signal)).map((key) => ({
        id: key.id,
        ...(key.name ? { name: key.name } : {}),
        status: key.status,
        exclusive: key.exclusive,
        inUse: active !== null && key.key === active.key,
      }));
    }
  } catch (error) {
    platformProblem = error instanceof Error ? error.message : 'The platform did not answer';
  }
  let state: CredentialState;
  if (staged || pending || previous) state = 'interrupted';
  else if (!active) state = 'unprovisioned';
  else if (platformProblem) state = 'unknown';
  else state = keys.some((key) => key.inUse && key.status === 'active') ? 'provisioned' : 'key-not-active';
  const summary = describe(state, { hwid: info.hwid, keys }, retire);
  return {
    ...base,
    ...(platformDevice ? { platformDevice } : {}),
    keys,
    state,
    summary,
    ...(platformProblem ? { platformProblem: platformProblem.slice(0, 4000) } : {}),
  };
}
