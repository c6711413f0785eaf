import { utf8Decode, utf8Encode } from './utf8';

/** A payload is one JSON object in UTF-8 (docs §4). */
export function encodeJsonPayload(value: Record<string, unknown>): Uint8Array {
  return utf8Encode(JSON.stringify(value));
}

/** Parses a payload; undefined when it is not a JSON object (never throws). */
export function decodeJsonPayload(payload: Uint8Array): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(utf8Decode(payload));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The bytes a fingerprint is computed over: UTF-8 of key, ":", secret (docs §5.2). */
export function fingerprintInput(key: string, secret: string): Uint8Array {
  return utf8Encode(`${key}:${secret}`);
}

export const FINGERPRINT_PREFIX_HEX = 16;
