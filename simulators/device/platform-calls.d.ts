import type { TestStep } from '../../common/serial';
import type { StoredSlot } from './flash';
export interface PlatformTestInput {
    slot: StoredSlot;
    nonce: string;
    /** Where the calls go: the slot's API URL, or the simulator's `--platform` override. */
    baseUrl: string;
    fetch: typeof fetch;
    signal: AbortSignal;
    timeoutMs: number;
}
export interface PlatformTestResult {
    passed: boolean;
    steps: TestStep[];
}
/**
 * What real firmware does for `test` (docs/serial-protocol.md §5.3): authenticate with the slot's
 * key and secret, then report a state carrying the nonce with the device token. Real HTTP, so
 * the platform simulator (or the real platform) sees a real device.
 */
export declare function runPlatformTest(input: PlatformTestInput): Promise<PlatformTestResult>;
