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
  if (Array.isArray(value)) {
    let out = '[';
    for (let index = 0; index < value.length; index += 1) {
      if (index > 0) out += ',';
      out += canonicalJson(value[index] ?? null);
    }
    return `${out}]`;
  }
  // Plain loops rather than entries/filter/map: verification runs this for every record.
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const member = object[key];
    if (member === undefined) continue;
    if (!first) out += ',';
    first = false;
    out += `${JSON.stringify(key)}:${canonicalJson(member)}`;
  }
  return `${out}}`;
}

/** The chain link: SHA-256 over the previous hash and the canonical record without `hash`. */
export function recordHash(prevHash: string, recordWithoutHash: object): string {
  return createHash('sha256').update(prevHash).update(canonicalJson(recordWithoutHash)).digest('hex');
}
