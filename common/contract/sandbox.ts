/**
 * The sandbox's own controls: its simulated units, and faults a newcomer (or a test) can inject to
 * see how a failure looks and how it is fixed. Present in every station; they answer
 * SANDBOX_OFF when the station runs against a real platform.
 */
import { z } from 'zod';
import { defineMethod, noArgs } from './define';
import { StationPortPath } from './station';

export const SANDBOX_FAULTS = [
  'none',
  'no-network',
  'wrong-clock',
  'flash-fail',
  'slow',
  'mute',
  'leak-secrets',
] as const;
export const SandboxFault = z.enum(SANDBOX_FAULTS);
export type SandboxFault = z.infer<typeof SandboxFault>;

export const SandboxUnit = z.strictObject({
  port: z.string().max(500),
  hwid: z.string().max(200),
  model: z.string().max(200),
  plugged: z.boolean(),
  fault: SandboxFault,
});
export type SandboxUnit = z.infer<typeof SandboxUnit>;

export const SandboxInfo = z.strictObject({
  running: z.boolean(),
  /** How the units are connected: pseudo-terminals (socat) or in-process virtual ports. */
  transport: z.enum(['pty', 'virtual']).nullable(),
  platformUrl: z.string().max(500).nullable(),
  units: z.array(SandboxUnit).max(64),
});
export type SandboxInfo = z.infer<typeof SandboxInfo>;

export const sandboxMethods = {
  'sandbox.info': defineMethod({
    summary: 'Whether the sandbox runs, its platform address and its simulated units.',
    args: noArgs,
    result: SandboxInfo,
  }),
  'sandbox.setFault': defineMethod({
    summary: 'Gives a simulated unit a fault (or none), to see a failure and its fix.',
    args: z.strictObject({ port: StationPortPath, fault: SandboxFault }),
    result: SandboxUnit,
  }),
  'sandbox.plug': defineMethod({
    summary: 'Unplugs or plugs back a simulated unit (hot-plug, auto-start, re-attach).',
    args: z.strictObject({ port: StationPortPath, plugged: z.boolean() }),
    result: SandboxUnit,
  }),
} as const;
