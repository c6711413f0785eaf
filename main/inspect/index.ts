/** The support inspector: what other folders may use. */
export { decodeToken, type DecodeTokenOptions } from './token-decoder';
export { inspectHandlers, type InspectHandlerOptions } from './inspect-handlers';
export { InspectError, type InspectErrorCode } from './inspect-error';
export { EXPIRES_SOON_SECONDS, formatDuration } from './token-times';
export { INSPECT_TOKEN_INPUT_MAX_LENGTH } from './token-input';
export { formatTokenReport, safeJson, terminalSafe } from './token-report';
