import { type Operation } from '../../common/serial';
/**
 * Faults the simulated firmware can show, set at start (`--faults SPEC`) or at run time (control
 * endpoint, `setFaults`). Conditions last until changed; the two reboot faults are events and
 * clear themselves once they fire.
 *
 * SPEC is a comma-separated list (docs/serial-protocol.md Appendix B):
 *   corrupt=P          each frame the device sends has one byte flipped with probability P (0..1)
 *   drop=P             each frame the device sends loses 1-8 bytes with probability P
 *   reboot-during=OPS  reset while executing one of OPS (`+`-separated, or `*`): a flash write in
 *                      progress is not applied; no reply. Once.
 *   reboot-after=OPS   reset after OPS took effect, before the reply leaves (a lost reply). Once.
 *   flash-fail[=OPS]   flash writes fail (during OPS only, if given): FLASH_WRITE_FAILED, no change
 *   no-network         `test` finds no network link
 *   wrong-clock        the clock is not set (year 2000): hello says so, `test` reports CLOCK_INVALID
 *   slow=MS            every reply waits MS more
 *   old-protocol       the firmware speaks protocol version 0 and refuses version 1
 *   leak-secrets       the firmware prints its credentials in its log (raw, hex and base64)
 *   mute               the firmware reads requests and never answers
 *   seed=N             seed of the random choices above (default: random)
 */
export interface Faults {
    corrupt: number;
    drop: number;
    rebootDuring: OperationSet;
    rebootAfter: OperationSet;
    flashFail: OperationSet;
    noNetwork: boolean;
    wrongClock: boolean;
    slowMs: number;
    oldProtocol: boolean;
    leakSecrets: boolean;
    mute: boolean;
    seed: number | undefined;
}
/** A set of operations, or every operation. */
export type OperationSet = ReadonlySet<Operation> | 'all';
export declare const NO_FAULTS: Faults;
export declare class FaultSpecError extends Error {
}
export declare function includes(set: OperationSet, op: Operation): boolean;
export declare function parseFaults(spec: string): Faults;
export declare function formatFaults(faults: Faults): string;
/** Deterministic PRNG (mulberry32) so a fault run can be replayed from its seed. */
export declare function createRandom(seed?: number): () => number;
