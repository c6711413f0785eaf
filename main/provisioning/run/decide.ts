import type { Question } from '../../../common/contract/provisioning';
import { ProvisioningError } from '../errors';
import type { DeviceHello, PlatformDevice, PlatformKey } from '../ports';
import { SkippedRun, type RunContext } from './context';

/** Whether a key may be retired after a rotation: restricted to exactly this one device, by id. */
export function isExclusiveTo(key: PlatformKey, deviceId: string): boolean {
  return key.deviceIds?.length === 1 && key.deviceIds[0] === deviceId && !(key.deviceTags && key.deviceTags.length > 0);
}

async function ask(ctx: RunContext, question: Question) {
  ctx.input.onProgress({ type: 'question', question });
  try {
    return await ctx.input.ask(question, ctx.input.signal);
  } finally {
    ctx.input.onProgress({ type: 'question', question: undefined });
  }
}

/**
 * Between resolve and mint: a device that already holds credentials is rotated, skipped or asked
 * about, by policy; a device holding credentials of another platform device stops and asks. Runs
 * outside any step time limit: a person may take a while to answer.
 */
export async function decide(ctx: RunContext, hello: DeviceHello, device: PlatformDevice): Promise<void> {
  const active = hello.slots.active;
  if (!active) return;
  if (active.deviceId !== device.id) {
    const answer = await ask(ctx, {
      kind: 'device-id-mismatch',
      message:
        `The device holds credentials for device id ${active.deviceId}, but the platform device tagged ` +
        `hwid=${hello.hwid} is ${device.id} (${device.name}). Replace its credentials with new ones for ` +
        `${device.id}, or stop and find out which is right.`,
      choices: ['replace', 'stop'],
    });
    if (answer !== 'replace') {
      throw new ProvisioningError(
        'DEVICE_ID_MISMATCH',
        `The device reports device id ${active.deviceId} but the platform device tagged hwid=${hello.hwid} is ` +
          `${device.id}: check for a duplicate or a wrongly tagged device on the platform, then retry`,
      );
    }
  } else {
    const policy = ctx.input.settings.ifProvisioned;
    const choice =
      policy === 'ask'
        ? await ask(ctx, {
            kind: 'already-provisioned',
            message:
              `The device ${hello.hwid} is already provisioned as ${device.name} (${device.id}). Rotate its ` +
              'credentials (the old key keeps working until the new one is proven), or skip it?',
            choices: ['rotate', 'skip'],
          })
        : policy;
    if (choice !== 'rotate') {
      throw new SkippedRun({
        code: 'DEVICE_ALREADY_PROVISIONED',
        message: `Skipped: ${hello.hwid} is already provisioned as ${device.id}; rotate it to give it new credentials`,
      });
    }
  }
  await findOldKey(ctx, active.accessKey, device);
}

async function findOldKey(ctx: RunContext, accessKey: string, device: PlatformDevice): Promise<void> {
  const signal = AbortSignal.any([ctx.input.signal, AbortSignal.timeout(30_000)]);
  const keys = await ctx.platform.findKeysByAccessKey(ctx.appId, accessKey, signal);
  const oldKey = keys.find((key) => key.key === accessKey);
  ctx.state.rotation = { accessKey, oldKey, exclusive: oldKey ? isExclusiveTo(oldKey, device.id) : false };
  ctx.input.onProgress({ type: 'info', rotation: true });
}
