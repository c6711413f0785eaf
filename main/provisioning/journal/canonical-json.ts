import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted at every level and no whitespace, so the same record always hashes
 * the same however its line was laid out. Values are what JSON.parse gives back (strings, finite
 * numbers, booleans, null, arrays, objects); `undefined` members are left out like JSON.stringify.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError('non-finite number in a record');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, member]) => member !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, member]) => `${JSON.stringify(key)}:${canonicalJson(member)}`).join(',')}}`;
}

/** The chain link: SHA-256 over the previous hash and the canonical record without `hash`. */
export function recordHash(prevHash: string, recordWithoutHash: object): string {
  return createHash('sha256').update(prevHash).update(canonicalJson(recordWithoutHash)).digest('hex');
}
