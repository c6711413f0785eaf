import { type ChildProcess } from 'node:child_process';
export interface PtyPair {
    /** The station's end: a symlink to a /dev/pts/N, where a USB adapter's tty would be. */
    readonly stationLink: string;
    /** The firmware's end. */
    readonly deviceLink: string;
    readonly process: ChildProcess;
    /** Ends socat: both links disappear and the station's open port sees its device gone. */
    close(): Promise<void>;
}
/**
 * Starts `socat -d -d pty,raw,echo=0,link=A pty,raw,echo=0,link=B` and waits until both links
 * exist. socat removes the links when it ends.
 */
export declare function startPtyPair(stationLink: string, deviceLink: string, timeoutMs?: number): Promise<PtyPair>;
