import { type DeviceSimulator, type DeviceSimulatorOptions } from './simulator';
export interface DeviceFarmOptions extends Omit<DeviceSimulatorOptions, 'link' | 'hwid' | 'state'> {
    /** Directory for the station-side links `tty0`, `tty1`, …; default a new temporary directory. */
    linkDir?: string;
    /** hwid of device i is `${hwidPrefix}${i, 4 digits}`; default `SIM-`. */
    hwidPrefix?: string;
    /** Directory for the flash state files `<hwid>.json`; in memory when absent. */
    stateDir?: string;
    /** Start the loopback control endpoint on this port (0: any free port). */
    controlPort?: number;
}
export interface DeviceFarm {
    readonly devices: readonly DeviceSimulator[];
    /** Directory of the links, when the farm made them. */
    readonly linkDir: string | undefined;
    /** Base URL of the control endpoint, when started. */
    readonly controlUrl: string | undefined;
    close(): Promise<void>;
}
/** Starts `count` simulated devices at once (tests, benchmarks, the sandbox). */
export declare function startDeviceFarm(count: number, options?: DeviceFarmOptions): Promise<DeviceFarm>;
/** Starts the given devices together, with one control endpoint for all of them if asked. */
export declare function startDevices(units: readonly DeviceSimulatorOptions[], options?: {
    controlPort?: number;
}): Promise<DeviceFarm>;
