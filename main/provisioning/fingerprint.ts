import { createHash } from 'node:crypto';

/**
 * The fingerprint of an access key: hex SHA-256 over the key, a NUL byte and the secret (the
 * serial protocol's definition). A write is proven by comparing it, never by reading back.
 */
export function credentialFingerprint(key: string, secret: string): string {
  return createHash('sha256').update(key, 'utf8').update('\u0000').update(secret, 'utf8').digest('hex');
}

/** The first bytes shown and journaled: enough to tell keys apart, useless to an attacker. */
export function fingerprintPrefix(fingerprint: string, bytes = 4): string {
  return fingerprint.slice(0, bytes * 2).toLowerCase();
}
