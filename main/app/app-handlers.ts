import type { AppInfo, HostKind } from '../../common/contract';
import type { Handlers } from '../host/dispatcher';
import { KEYLINE_VERSION } from './version';

export interface AppHandlerOptions {
  host: HostKind;
  sandbox: boolean;
}

export function appInfo(options: AppHandlerOptions): AppInfo {
  return {
    name: 'Keyline',
    version: KEYLINE_VERSION,
    platform: process.platform,
    arch: process.arch,
    host: options.host,
    sandbox: options.sandbox,
  };
}

export function appHandlers(options: AppHandlerOptions): Pick<Handlers, 'app.info'> {
  return {
    'app.info': () => appInfo(options),
  };
}
