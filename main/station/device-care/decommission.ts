import { randomBytes } from 'node:crypto';
import type { DecommissionResult } from '../../../common/contract/device-care';
import { KeylineError } from '../../../common/errors';
import type { JournalEntryInput } from '../../provisioning/journal';
import type { DeviceInfo } from '../../serial';
import { withDevice, type DeviceOpener } from '../device-opener';
import type { PlatformAccess } from '../platform-access';
import { findPlatformDevice, keysOfDevice } from './platform-lookup';

export interface DecommissionDeps {
  opener: DeviceOpener;
  platform: () => Promise<PlatformAccess>;
  append: (entry: JournalEntryInput) => Promise<void>;
  station: string;
  workOrder?: string;
  now?: () => Date;
}

type Step = DecommissionResult['steps'][number];

function errorOf(error: unknown): { code: string; message: string } {
  if (error instanceof KeylineError) return { code: error.code, message: error.message.slice(0, 2000) };
  return { code: 'INTERNAL', message: 'Unexpected failure; see the station log' };
}

export function decommissionRunId(now: Date): string {
  return `dec-${now
    .toISOString()
    .replace(/[-:.TZ]/g, '')
    .slice(0, 14)}-${randomBytes(3).toString('hex')}`;
}

/**
 * Takes a returned unit out of service: wipes its credentials, deletes the keys restricted to it
 * alone (a key shared with other devices is reported, never touched), removes its `hwid` tag (or
 * deletes the platform device), and journals what was done. A failed step does not stop the
 * platform steps after it: the keys of a unit that cannot be wiped must still stop working.
 */
export async function decommission(
  port: string,
  platformDevice: 'untag' | 'delete',
  deps: DecommissionDeps,
): Promise<DecommissionResult> {
  const now = deps.now ?? (() => new Date());
  const started = now();
  const runId = decommissionRunId(started);
  const steps: Step[] = [];
  const deleted: string[] = [];
  let firstError: { code: string; message: string } | undefined;
  const fail = (step: Step['step'], error: unknown, prefix: string) => {
    const info = errorOf(error);
    firstError ??= info;
    steps.push({ step, status: 'failed', message: `${prefix}: ${info.message}` });
  };

  let info: DeviceInfo | undefined;
  try {
    info = await withDevice(deps.opener, port, (device) =>
      device.client.hello({ signal: AbortSignal.timeout(10_000) }),
    );
    steps.push({ step: 'identify', status: 'passed', message: `${info.hwid} (${info.model}, firmware ${info.fw})` });
  } catch (error) {
    fail('identify', error, 'The device did not answer');
    return { runId, port, outcome: 'failed', deletedKeyIds: [], steps, ...(firstError ? { error: firstError } : {}) };
  }

  let access: PlatformAccess | undefined;
  let deviceId: string | undefined = info.slots.active?.deviceId;
  try {
    access = await deps.platform();
    const device = await findPlatformDevice(
      access.client,
      access.applicationId,
      info.hwid,
      deviceId,
      AbortSignal.timeout(20_000),
    );
    if (device) {
      deviceId = device.id;
      steps.push({ step: 'find', status: 'passed', message: `Platform device ${device.name} (${device.id})` });
    } else {
      steps.push({ step: 'find', status: 'skipped', message: `No platform device has the tag hwid=${info.hwid}` });
    }
  } catch (error) {
    fail('find', error, 'The platform could not be asked');
  }

  try {
    const hwid = info.hwid;
    await withDevice(deps.opener, port, (device) => device.client.wipe(hwid, { signal: AbortSignal.timeout(15_000) }));
    steps.push({ step: 'wipe', status: 'passed', message: 'Credentials erased from the device' });
  } catch (error) {
    fail('wipe', error, 'The device could not be wiped');
  }

  if (access && deviceId && steps.some((step) => step.step === 'find' && step.status === 'passed')) {
    const { client, applicationId } = access;
    try {
      const keys = await keysOfDevice(client, applicationId, deviceId, AbortSignal.timeout(20_000));
      const shared = keys.filter((key) => !key.exclusive);
      for (const key of keys.filter((candidate) => candidate.exclusive)) {
        await client.keys.delete(applicationId, key.id, { signal: AbortSignal.timeout(15_000) });
        deleted.push(key.id);
      }
      steps.push({
        step: 'delete-keys',
        status: 'passed',
        message:
          `${deleted.length === 0 ? 'No key of its own to delete' : `Deleted ${deleted.join(', ')}`}` +
          (shared.length > 0 ? `; shared keys left alone: ${shared.map((key) => key.id).join(', ')}` : ''),
      });
    } catch (error) {
      fail('delete-keys', error, `Deleted ${deleted.length} key(s), then failed`);
    }
    try {
      const signal = AbortSignal.timeout(15_000);
      if (platformDevice === 'delete') {
        await client.devices.delete(applicationId, deviceId, { signal });
        steps.push({ step: 'platform-device', status: 'passed', message: `Deleted platform device ${deviceId}` });
      } else {
        const device = await client.devices.get(applicationId, deviceId, { signal });
        const tags = device.tags
          .filter((tag) => tag.key !== 'hwid' && tag.key !== 'decommissioned')
          .map((tag) => ({ key: tag.key, value: tag.value }))
          .concat([{ key: 'decommissioned', value: started.toISOString() }]);
        await client.devices.patch(applicationId, deviceId, { tags }, { signal });
        steps.push({
          step: 'platform-device',
          status: 'passed',
          message: `Removed the hwid tag of ${deviceId} and tagged it decommissioned`,
        });
      }
    } catch (error) {
      fail('platform-device', error, 'The platform device was not changed');
    }
  } else {
    steps.push({ step: 'delete-keys', status: 'skipped', message: 'No platform device to look up keys for' });
    steps.push({ step: 'platform-device', status: 'skipped', message: 'No platform device found' });
  }

  const outcome = firstError ? 'failed' : 'passed';
  const context = {
    station: deps.station.slice(0, 256),
    port: port.slice(0, 256),
    ...(access ? { operator: access.operator.slice(0, 256) } : {}),
    ...(deps.workOrder ? { workOrder: deps.workOrder.slice(0, 256) } : {}),
  };
  try {
    const durationMs = now().getTime() - started.getTime();
    const entry: JournalEntryInput = deviceId
      ? {
          kind: 'decommission',
          runId,
          action: platformDevice === 'delete' ? 'wipe-delete-device' : 'wipe-untag-device',
          outcome,
          deviceId,
          hwid: info.hwid,
          ...(access ? { applicationId: access.applicationId } : {}),
          accessKeyIds: deleted,
          durationMs,
          ...(firstError ? { error: firstError } : {}),
          ...context,
        }
      : {
          kind: 'inspect',
          action: 'decommission-wipe',
          runId,
          hwid: info.hwid,
          result: outcome,
          ...(firstError ? { error: firstError } : {}),
          ...(context.operator ? { operator: context.operator } : {}),
          station: context.station,
        };
    await deps.append(entry);
    steps.push({ step: 'record', status: 'passed', message: `Journaled as ${runId}` });
  } catch (error) {
    fail('record', error, 'The journal record could not be written');
  }
  return {
    runId,
    port,
    hwid: info.hwid,
    ...(deviceId ? { deviceId } : {}),
    outcome: firstError ? 'failed' : 'passed',
    deletedKeyIds: deleted,
    steps,
    ...(firstError ? { error: firstError } : {}),
  };
}
