// The platform REST client: what other folders may import from main/platform/.
export { PlatformClient, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT_MS, type PlatformClientOptions } from './client';
export { PlatformError, isPlatformError, type PlatformErrorCode, type PlatformErrorDetails } from './errors';
export { envTokenSource, noTokenSource, staticTokenSource, type TokenSource } from './token-source';
export { systemClock, type Clock } from './clock';
export { DEFAULT_RETRY, type RetryPolicy } from './retry';
export type { PlatformLogger, ExchangeRecord } from './logger';
export type { CallOptions, CallResult } from './transport';
export { ACCEPT_VERSION } from './transport';
export { keyReach, isRestrictedToDevice, type KeyReach } from './key-scope';
export type { DevicesApi } from './devices-api';
export type { KeysApi } from './keys-api';
export type { TokenCollection, MintableTokenCollection } from './tokens-api';
export * from './schemas';
export type {
  DeviceCreate,
  DevicePatch,
  DeviceState,
  DeviceCredentials,
  DeviceListQuery,
  KeyCreate,
  KeyPatch,
  KeyListQuery,
  ApiTokenCreate,
  ApiTokenPatch,
  UserApiTokenCreate,
  UserTokenPatch,
  TokenListQuery,
} from './inputs';
