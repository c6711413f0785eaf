import { type SlotSummary } from '../../common/serial';
import { type Faults } from './faults';
export interface DeviceSimulatorOptions {
    /** Where the station's end appears (a symlink to a pty). Default: a new temporary path. */
    link?: string;
    hwid?: string;
    model?: string;
    fw?: string;
    /** Send `test` HTTP calls here instead of the staged API URL. */
    platform?: string;
    /** A fault spec (see faults.ts) or parsed faults. */
    faults?: string | Faults;
    /** JSON file that plays the device's flash; in memory when absent. */
    state?: string;
    baudRate?: number;
    maxPayload?: number;
    flashWriteMs?: number;
    bootMs?: number;
    /** Mean interval of background log lines (0: none; default 5000). */
    chatterMs?: number;
    fetch?: typeof fetch;
    /** Every log line the firmware prints, as it prints it (secrets included if it leaks them). */
    onLine?: (line: string) => void;
}
/** What a test may know about a simulated unit: never a secret. */
export interface DeviceState {
    link: string;
    hwid: string;
    model: string;
    fw: string;
    plugged: boolean;
    ready: boolean;
    boots: number;
    uptimeMs: number;
    identifying: boolean;
    faults: string;
    slots: {
        active: SlotSummary | null;
        staged: SlotSummary | null;
        previous: SlotSummary | null;
        pending: boolean;
    };
    /** Full fingerprints, so a test can compare with what it staged. */
    fingerprints: {
        active: string | null;
        staged: string | null;
        previous: string | null;
    };
}
export interface DeviceSimulator {
    readonly link: string;
    readonly hwid: string;
    state(): DeviceState;
    setFaults(faults: string | Faults): void;
    /** Resets the unit (as its reset button or a watchdog would). Resolves when it has booted. */
    reboot(reason?: string): Promise<void>;
    /** Pulls the USB cable: the pty disappears and the unit loses power. */
    unplug(): Promise<void>;
    /** Plugs it back: a new pty at the same link, and the unit boots. */
    replug(): Promise<void>;
    /** Resolves when the unit has printed its boot event and reads requests. */
    whenReady(timeoutMs?: number): Promise<void>;
    recentLog(): string[];
    close(): Promise<void>;
}
/**
 * Starts one simulated device: a socat pty pair with the station's end at `link`, the firmware
 * model on the other end over the real `serialport`, output paced to the baud rate.
 */
export declare function startDeviceSimulator(options?: DeviceSimulatorOptions): Promise<DeviceSimulator>;
