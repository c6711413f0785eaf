/** A query value as the official client passes it to `qs`: scalars, arrays and nested objects. */
export type QueryValue = string | number | boolean | undefined | readonly QueryValue[] | { [key: string]: QueryValue };

/**
 * The official client adds these to every request; the server ignores them, but a platform behind
 * a strict gateway might not, so the station sends exactly what losant-rest-js sends.
 */
export const GLOBAL_QUERY = { _actions: false, _links: true, _embedded: true } as const;

/** RFC 3986 encoding, as `qs` does it (encodeURIComponent leaves !'()* alone). */
function encode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function flatten(prefix: string, value: QueryValue, out: string[]): void {
  if (value === undefined) return;
  if (Array.isArray(value)) {
    (value as readonly QueryValue[]).forEach((item, index) => flatten(`${prefix}[${index}]`, item, out));
    return;
  }
  if (typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) flatten(`${prefix}[${key}]`, item, out);
    return;
  }
  out.push(`${encode(prefix)}=${encode(String(value))}`);
}

/**
 * Serialises parameters the way `qs.stringify` does with its defaults (which the official client
 * uses): arrays and objects in bracket form with indices, `tagFilter[0][key]=hwid`, brackets
 * percent-encoded. The global parameters come first, as in the official client.
 */
export function encodeQuery(params: Record<string, QueryValue> = {}): string {
  const out: string[] = [];
  for (const [key, value] of Object.entries({ ...GLOBAL_QUERY, ...params })) flatten(key, value, out);
  return out.join('&');
}
