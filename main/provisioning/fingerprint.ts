import { createHash } from 'node:crypto';

/**
 * The fingerprint of an access key: hex SHA-256 over `key:secret` (docs/serial-protocol.md §5.2).
 * A write is proven by comparing it, never by reading the secret back.
 */
export function credentialFingerprint(key: string, secret: string): string {
  return createHash('sha256').update(`${key}:${secret}`, 'utf8').digest('hex');
}

/** The first bytes shown and journaled: enough to tell keys apart, useless to an attacker. */
export function fingerprintPrefix(fingerprint: string, bytes = 8): string {
  return fingerprint.slice(0, bytes * 2).toLowerCase();
}
