import { type ServerKeys } from '../security/server-keys';
import type { PlatformState } from './types';
/**
 * `--data DIR`: the state in one JSON file, rewritten atomically a moment after each change
 * (changes in between are coalesced), and the server keys in a file of their own (mode 0600).
 */
export declare class Persistence {
    readonly directory: string;
    private readonly snapshot;
    private timer;
    private writing;
    private failure;
    constructor(directory: string, snapshot: () => PlatformState);
    loadKeys(): Promise<ServerKeys>;
    loadState(): Promise<PlatformState | undefined>;
    scheduleSave(): void;
    private save;
    /** Writes any pending change now; rejects if a write failed since the last flush. */
    flush(): Promise<void>;
}
