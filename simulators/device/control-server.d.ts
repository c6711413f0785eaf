import type { DeviceSimulator } from './simulator';
export interface ControlServer {
    readonly url: string;
    close(): Promise<void>;
}
/**
 * Fault control from another process (the pipeline's crash tests kill the station while devices
 * keep running). Loopback only, and only for Host headers naming the loopback listener.
 *
 *   GET  /devices                  every device's state (never a secret)
 *   GET  /devices/{i}              one device's state; {i} is the index or the hwid
 *   PUT  /devices/{i}/faults       body: a fault spec (text) or {"faults": "spec"}; "" clears
 *   POST /devices/{i}/reboot       reset the unit, answer once it booted
 *   POST /devices/{i}/unplug       pull the USB cable (the pty disappears)
 *   POST /devices/{i}/replug       plug it back (a new pty at the same link; the unit boots)
 */
export declare function startControlServer(devices: readonly DeviceSimulator[], port?: number): Promise<ControlServer>;
