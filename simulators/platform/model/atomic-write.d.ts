/**
 * Replaces `file` so that a crash leaves the old or the new content, never a mix: write a temporary
 * sibling, fsync it, rename it over the target, fsync the directory. (The station has its own copy
 * in main/storage; simulators never import main/.)
 */
export declare function writeFileAtomic(file: string, data: string, mode?: number): Promise<void>;
