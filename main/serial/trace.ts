import { type Frame, FrameType, OPERATION_SPECS, isOperation, utf8Decode } from '../../common/serial';
import { REDACTED, type SecretRedactor } from '../security/secret-redactor';

/** One frame as a person may see it in a serial trace: never a secret, never raw bytes. */
export interface TraceEntry {
  time: string;
  direction: 'tx' | 'rx';
  kind: 'request' | 'reply' | 'event' | 'damaged';
  id: number;
  /** The operation a request or reply belongs to, when known. */
  op?: string;
  /** Size of the whole frame on the wire. */
  bytes: number;
  /** The payload as JSON text, secret fields masked and every held secret redacted. */
  text: string;
  /** Request to reply, for replies. */
  ms?: number;
}

/** Field names whose values are never traced, in any frame, whatever the operation. */
const SECRET_FIELDS = new Set(['secret', 'token', 'password']);

/**
 * The trace text of a frame the station sends. A secret-bearing request (`stage`) is traced from
 * its fields with the secret masked; its bytes are never shown, in any form.
 */
export function requestTraceText(body: Record<string, unknown>, redactor: SecretRedactor): string {
  const op = body['op'];
  const masked =
    isOperation(op) && OPERATION_SPECS[op].carriesSecret
      ? Object.fromEntries(Object.entries(body).map(([key, value]) => [key, SECRET_FIELDS.has(key) ? REDACTED : value]))
      : maskSecretFields(body);
  return redactor.redact(JSON.stringify(masked));
}

/** The trace text of a frame the device sent: its JSON with secret-named fields masked, then redacted. */
export function receivedTraceText(frame: Frame, redactor: SecretRedactor): string {
  const text = utf8Decode(frame.payload);
  let shown = text;
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object') shown = JSON.stringify(maskSecretFields(value as Record<string, unknown>));
  } catch {
    // Not JSON: shown as text, still redacted below.
  }
  return redactor.redact(shown.length > 4096 ? `${shown.slice(0, 4096)}…` : shown);
}

function maskSecretFields(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (SECRET_FIELDS.has(key)) out[key] = REDACTED;
    else if (inner && typeof inner === 'object' && !Array.isArray(inner)) {
      out[key] = maskSecretFields(inner as Record<string, unknown>);
    } else out[key] = inner;
  }
  return out;
}

export function frameKind(type: number): TraceEntry['kind'] {
  return type === FrameType.request ? 'request' : type === FrameType.reply ? 'reply' : 'event';
}
