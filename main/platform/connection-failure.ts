export interface ConnectionFailure {
  /** Plain words for the technician, without the URL's path or any header. */
  words: string;
  /** Worth another attempt (for reads and idempotent calls). */
  retryable: boolean;
  /** False when the request provably never reached the server (refused, no such host, TLS). */
  requestMayHaveArrived: boolean;
}

const NOT_SENT_RETRYABLE = new Set([
  'ECONNREFUSED',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);
const TLS_CODES = /^(CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|ERR_TLS_|ERR_SSL_)/;

/** Finds the system or undici error code somewhere down a fetch failure's cause chain. */
export function errorCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Classifies why fetch failed without an answer. */
export function describeConnectionFailure(error: unknown, origin: string): ConnectionFailure {
  const code = errorCode(error);
  if (code === 'ECONNREFUSED') {
    return {
      words: `connection refused by ${origin} (is the platform running there?)`,
      retryable: true,
      requestMayHaveArrived: false,
    };
  }
  if (code === 'ENOTFOUND') {
    return {
      words: `the host of ${origin} was not found (check the API URL and the network)`,
      retryable: false,
      requestMayHaveArrived: false,
    };
  }
  if (code !== undefined && NOT_SENT_RETRYABLE.has(code)) {
    return {
      words: `${origin} could not be reached (${code}); check the network`,
      retryable: true,
      requestMayHaveArrived: false,
    };
  }
  if (code !== undefined && TLS_CODES.test(code)) {
    return {
      words: `the TLS certificate of ${origin} is not trusted (${code}); check the API URL, the system clock and any proxy`,
      retryable: false,
      requestMayHaveArrived: false,
    };
  }
  return {
    words: `the connection to ${origin} was lost${code ? ` (${code})` : ''}`,
    retryable: true,
    requestMayHaveArrived: true,
  };
}
