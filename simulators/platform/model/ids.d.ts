/** The platform's ids: 24 hex characters (MongoDB ObjectId form), a time prefix then randomness. */
export declare function newObjectId(nowMs?: number): string;
/** A stable id for a seeded object, so that the demo's ids stay the same across resets and restarts. */
export declare function seededObjectId(namespace: string, key: string): string;
export declare const OBJECT_ID: RegExp;
