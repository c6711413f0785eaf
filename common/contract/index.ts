/**
 * The contract between the window and the main side: every method and event, each with zod
 * schemas. Areas add their own file and spread it in here; nothing else defines a channel.
 */
import type { z } from 'zod';
import { appEvents, appMethods } from './app';
import { inspectMethods } from './inspect';
import { authEvents, authMethods } from './auth';
import { provisioningEvents, provisioningMethods } from './provisioning';
import { historyMethods } from './history';
import { portsMethods } from './ports';
import { stationEvents, stationMethods } from './station';
import { deviceCareMethods } from './device-care';
import { sandboxMethods } from './sandbox';

export * from './define';
export * from './app';
export * from './auth';
export * from './provisioning';
export * from './client';
export * from './inspect';
export * from './history';
export * from './ports';
export * from './station';
export * from './device-care';
export * from './sandbox';

export const methods = {
  ...appMethods,
  ...inspectMethods,
  ...authMethods,
  ...provisioningMethods,
  ...historyMethods,
  ...portsMethods,
  ...stationMethods,
  ...deviceCareMethods,
  ...sandboxMethods,
} as const;

export const events = {
  ...appEvents,
  ...authEvents,
  ...provisioningEvents,
  ...stationEvents,
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type MethodArgs<M extends MethodName> = z.input<Methods[M]['args']>;
export type MethodResult<M extends MethodName> = z.output<Methods[M]['result']>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]['payload']>;

export const methodNames = Object.keys(methods) as MethodName[];
export const eventNames = Object.keys(events) as EventName[];

export function isMethodName(value: unknown): value is MethodName {
  return typeof value === 'string' && Object.hasOwn(methods, value);
}

export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && Object.hasOwn(events, value);
}

/** IPC channel names: one per method, one for all events. */
export const ipcChannel = (method: MethodName): string => `keyline:${method}`;
export const ipcEventChannel = 'keyline:event';
