/** A value that survives JSON and the contract unchanged. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Deeper nesting is cut: no platform claim nests this deep, and a crafted token must not exhaust the stack. */
export const MAX_JSON_DEPTH = 16;
export const TOO_DEEP = '[nested too deep to show]';

/**
 * A copy of decoded JSON that is safe to return and render: plain objects built with own
 * properties only (a `__proto__` claim stays data), numbers finite, nesting bounded.
 */
export function toJsonSafe(value: unknown, depth = 0): JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (depth >= MAX_JSON_DEPTH) return TOO_DEEP;
  if (Array.isArray(value)) return value.map((item) => toJsonSafe(item, depth + 1));
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, toJsonSafe(item, depth + 1)]));
  }
  return String(value);
}

/** The object form of `toJsonSafe`, for a JWT header or claims set (always JSON objects). */
export function toJsonObject(value: Record<string, unknown>): Record<string, JsonValue> {
  return toJsonSafe(value) as Record<string, JsonValue>;
}
