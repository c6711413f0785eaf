/**
 * The platform simulator: a local stand-in for the IoT platform's REST API and OAuth server
 * (docs/platform-simulator.md). Peers of the station start it in-process with
 * `startPlatformSimulator`, or as a process with `npm run platform`.
 */
export { startPlatformSimulator } from './server';
export type { PlatformSimulatorOptions, RunningPlatformSimulator } from './server';
export type { SeedInfo, SeedUser, SeedDevice, SeedAccessKey, SeedApiToken } from './seed/info';
export type { SeedSpecInput as SeedSpec } from './seed/spec';
export type { SettingsPatch as PlatformSimulatorSettings } from './settings';
export type { SimEvent, DeviceClass, Role } from './model/types';
export type { FaultSpec } from './sim/faults';
export { DEFAULT_SETTINGS } from './context';
export { DEMO_SEED, STATION_CLIENT_ID, STATION_REDIRECT_URIS } from './seed/demo';
export { OAUTH_ROUTES, OAUTH_SCOPES } from './oauth/provider';
