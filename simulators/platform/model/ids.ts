import { createHash, randomBytes } from 'node:crypto';

/** The platform's ids: 24 hex characters (MongoDB ObjectId form), a time prefix then randomness. */
export function newObjectId(nowMs: number = Date.now()): string {
  const seconds = Math.floor(nowMs / 1000)
    .toString(16)
    .padStart(8, '0')
    .slice(-8);
  return seconds + randomBytes(8).toString('hex');
}

/** A stable id for a seeded object, so that the demo's ids stay the same across resets and restarts. */
export function seededObjectId(namespace: string, key: string): string {
  return createHash('sha256').update(`${namespace}\0${key}`).digest('hex').slice(0, 24);
}

export const OBJECT_ID = /^[A-Fa-f\d]{24}$/;
