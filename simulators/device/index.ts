/**
 * The device firmware simulator: a unit on the far end of a socat pty pair, speaking
 * docs/serial-protocol.md with flash slots, boot noise, real HTTP to the platform and faults.
 */
export { startDeviceSimulator, type DeviceSimulator, type DeviceSimulatorOptions, type DeviceState } from './simulator';
export { startDeviceFarm, startDevices, type DeviceFarm, type DeviceFarmOptions } from './farm';
export { parseFaults, formatFaults, NO_FAULTS, FaultSpecError, type Faults } from './faults';
export { startControlServer, type ControlServer } from './control-server';
