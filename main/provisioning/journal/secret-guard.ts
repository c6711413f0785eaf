import { JournalError } from './errors';

/**
 * The journal never holds a secret (DESIGN.md §3). Two checks before anything is written:
 * - field names that say "secret" (secret, token, password, credential, private key, ...): refused
 *   whatever the value, because a name like that means someone meant to record one;
 * - every string (keys included) against the secrets the station holds right now
 *   (`isSecret`, usually backed by the SecretRedactor, which knows their hex and base64 forms
 *   too), and against the shape of a bearer JWT, which is a token whoever holds it.
 * The error names the field, never the value.
 */
export type IsSecret = (text: string) => boolean;

const SECRET_FIELD =
  /secret|token|passw(?:or)?d|passphrase|^pwd$|credential|private.?key|api.?key|bearer|authori[sz]ation|cookie|session.?id/i;
const JWT = /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/;

export function isSecretFieldName(name: string): boolean {
  return SECRET_FIELD.test(name);
}

/** Builds `isSecret` from anything with a `redact(text)` that replaces held secrets. */
export function secretCheckFromRedactor(redactor: { redact(text: string): string }): IsSecret {
  return (text) => redactor.redact(text) !== text;
}

export function assertNoSecret(record: unknown, isSecret: IsSecret | undefined): void {
  walk(record, '', isSecret);
}

function refuse(path: string, why: string): never {
  throw new JournalError(
    'JOURNAL_SECRET_REFUSED',
    `Refused to write a journal record: ${why} at "${path || '(record)'}". The journal never holds secrets or tokens; nothing was written.`,
  );
}

function walk(value: unknown, path: string, isSecret: IsSecret | undefined): void {
  if (typeof value === 'string') {
    if (JWT.test(value)) refuse(path, 'a value shaped like a bearer token (JWT)');
    if (isSecret?.(value)) refuse(path, 'a value matching a secret the station holds');
    return;
  }
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    value.forEach((item, index) => walk(item, `${path}[${index}]`, isSecret));
    return;
  }
  for (const [key, member] of Object.entries(value as Record<string, unknown>)) {
    const child = path ? `${path}.${key}` : key;
    if (isSecretFieldName(key)) refuse(child, 'a field named like a secret');
    if (isSecret?.(key)) refuse(path, 'a field name matching a secret the station holds');
    walk(member, child, isSecret);
  }
}
