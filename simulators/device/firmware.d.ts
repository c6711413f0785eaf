import { type Faults } from './faults';
import type { Flash, SlotTable } from './flash';
export interface FirmwareIdentity {
    hwid: string;
    model: string;
    fw: string;
}
export interface FirmwareOptions extends FirmwareIdentity {
    flash: Flash;
    faults?: Faults;
    /** Where `test` sends its HTTP calls instead of the staged API URL (a bench proxy), if set. */
    platformOverride?: string;
    fetch?: typeof fetch;
    maxPayload?: number;
    /** Simulated time one flash write takes. */
    flashWriteMs?: number;
    /** How long the boot log takes to print. */
    bootMs?: number;
    /** Mean interval of background log lines; 0 for none. */
    chatterMs?: number;
    /** Wall clock, for `hello.clock`. */
    now?: () => number;
    /** Called for each log line the firmware prints (the simulator's own trace). */
    onLine?: (line: string) => void;
}
/** Output towards the UART: paced, and dropped on reset. */
export interface FirmwareOutput {
    write(bytes: Uint8Array): void;
    drained(): Promise<void>;
    reset(): void;
}
/**
 * The device firmware model: one UART, one request at a time, flash slots, boot log noise,
 * the protocol of docs/serial-protocol.md, and the faults of `faults.ts`. It knows nothing about
 * ptys; `simulator.ts` wires it to a paced serial port.
 */
export declare class Firmware {
    #private;
    readonly identity: FirmwareIdentity;
    constructor(options: FirmwareOptions);
    get faults(): Faults;
    set faults(faults: Faults);
    get ready(): boolean;
    get table(): SlotTable;
    get boots(): number;
    get uptimeMs(): number;
    get identifying(): boolean;
    recentLog(): string[];
    attach(out: FirmwareOutput | undefined): void;
    /** Bytes that crossed the wire from the station. */
    receive(bytes: Uint8Array): void;
    /** Starts the firmware: boot log, flash load, boot counter, `boot` event. */
    powerOn(reason: string): Promise<void>;
    /** Power gone (unplugged): everything stops, nothing is printed. */
    powerOff(): void;
    /** A reset (watchdog, reboot request, brown-out): stop everything, then boot again. */
    reset(reason: string, delayMs?: number): void;
}
