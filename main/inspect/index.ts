/** The support inspector: what other folders may use. */
export { decodeToken, type DecodeTokenOptions } from './token-decoder';
export { inspectHandlers, decodeTokenHandlers, type InspectHandlerOptions } from './inspect-handlers';
export { InspectError, type InspectErrorCode } from './inspect-error';
export { EXPIRES_SOON_SECONDS, formatDuration } from './token-times';
export { INSPECT_TOKEN_INPUT_MAX_LENGTH } from './token-input';
export { formatTokenReport, safeJson, terminalSafe } from './token-report';
export { InspectService, type InspectServiceOptions } from './inspect-service';
export {
  sessionPlatformSource,
  tokenPlatformSource,
  preferToken,
  sessionTokenSource,
  type InspectPlatform,
  type InspectPlatformSource,
  type InspectSession,
} from './platform-access';
export {
  dataDirInspectJournal,
  sharedInspectJournal,
  type InspectJournal,
  type InspectJournalSession,
  type InspectEntry,
} from './inspect-journal';
export { serialDeviceOpener, type DeviceOpener, type DeviceConnection } from './device-probe';
export { inspectPlatformFromEnv, INSPECT_ENV } from './inspect-env';
export { formatDiagnosis } from './diagnosis-report';
export { composeInspector, type StationInspectOptions } from './compose-inspector';
