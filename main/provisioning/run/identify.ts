import { ProvisioningError } from '../errors';
import type { DeviceHello, DeviceLink } from '../ports';
import { timed } from '../timing';
import { raceAbort, type RunContext } from './context';

const PRINTABLE = /^[\x21-\x7e]{1,128}$/;

/** Checks what a device says about itself before anything is built on it: serial bytes are untrusted. */
export function checkHello(hello: DeviceHello, port: string): DeviceHello {
  if (!PRINTABLE.test(hello.hwid)) {
    throw new ProvisioningError(
      'DEVICE_BAD_HELLO',
      `The device on ${port} reported an unusable hardware id: its firmware must report a printable hwid of 1 to 128 characters`,
    );
  }
  if (!/^[\x20-\x7e]{1,128}$/.test(hello.model) || !/^[\x20-\x7e]{0,128}$/.test(hello.firmware)) {
    throw new ProvisioningError(
      'DEVICE_BAD_HELLO',
      `The device on ${port} reported an unusable model or firmware version: check its firmware`,
    );
  }
  return hello;
}

/** Opens the lane's port (timed as device time). */
export async function openLink(ctx: RunContext, signal: AbortSignal): Promise<DeviceLink> {
  const path = ctx.input.portPath();
  const opening = ctx.deps.connector.open(path, signal);
  // A link that opens after the caller gave up is closed, never leaked.
  opening.then(
    (link) => {
      if (signal.aborted) void link.close().catch(() => undefined);
    },
    () => undefined,
  );
  const link = await raceAbort(opening, signal);
  return timed(link, ctx.state.buckets, 'deviceMs', ctx.deps.clock.monotonic);
}

/** Step 1: `hello` over serial: who the device is and what credentials it holds. */
export async function identify(ctx: RunContext, signal: AbortSignal): Promise<DeviceHello> {
  ctx.state.link ??= await openLink(ctx, signal);
  const hello = checkHello(await ctx.state.link.hello(signal), ctx.input.portPath());
  if (ctx.input.expectedHwid !== undefined && hello.hwid !== ctx.input.expectedHwid) {
    throw new ProvisioningError(
      'DEVICE_HWID_CHANGED',
      `The device on ${ctx.input.portPath()} is ${hello.hwid}, not ${ctx.input.expectedHwid} as before: ` +
        'a different unit was plugged in; start a new lane for it',
    );
  }
  ctx.state.hello = hello;
  ctx.input.onProgress({ type: 'info', hwid: hello.hwid, model: hello.model, firmware: hello.firmware });
  return hello;
}

/**
 * Asks the device which credentials it runs on, after a reply was lost. The link may be dead (the
 * device rebooted, the port re-enumerated), so it reopens the lane's port and keeps trying for a
 * grace period. Answers undefined when the device cannot be asked.
 */
export async function helloAfterLoss(ctx: RunContext): Promise<DeviceHello | undefined> {
  const graceMs = ctx.deps.helloGraceMs ?? 15_000;
  const deadline = ctx.deps.clock.monotonic() + graceMs;
  let attempt = 0;
  while (ctx.deps.clock.monotonic() < deadline) {
    try {
      const signal = AbortSignal.timeout(
        Math.round(Math.max(1000, Math.min(5000, deadline - ctx.deps.clock.monotonic()))),
      );
      if (!ctx.state.link || attempt > 0) {
        await ctx.state.link?.close().catch(() => undefined);
        ctx.state.link = undefined;
        ctx.state.link = await openLink(ctx, signal);
      }
      const hello = checkHello(await raceAbort(ctx.state.link.hello(signal), signal), ctx.input.portPath());
      if (ctx.state.hello && hello.hwid !== ctx.state.hello.hwid) return undefined;
      return hello;
    } catch {
      attempt += 1;
      await new Promise((resolve) => setTimeout(resolve, Math.min(250 * attempt, 1000)));
    }
  }
  return undefined;
}
