import { z } from 'zod';
import { defineEvent, defineMethod, noArgs } from './define';

export const HostKind = z.enum(['electron', 'web']);
export type HostKind = z.infer<typeof HostKind>;

export const AppInfo = z.strictObject({
  name: z.literal('Keyline'),
  version: z.string(),
  platform: z.string(),
  arch: z.string(),
  host: HostKind,
  /** Whether the station runs against the embedded simulators rather than a real platform. */
  sandbox: z.boolean(),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const Notice = z.strictObject({
  level: z.enum(['info', 'warning', 'error']),
  message: z.string().max(2000),
  time: z.string(),
});
export type Notice = z.infer<typeof Notice>;

export const appMethods = {
  'app.info': defineMethod({
    summary: 'Version, operating system and host (electron or web) of this station.',
    args: noArgs,
    result: AppInfo,
  }),
} as const;

export const appEvents = {
  /** Something the technician should see in the status bar. */
  'app.notice': defineEvent({ summary: 'A message for the status bar.', payload: Notice }),
} as const;
