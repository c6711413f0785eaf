/**
 * The serial link: what other folders may use. Protocol in docs/serial-protocol.md; codec shared
 * with the device simulator in common/serial.
 */
export { SerialLink, type OpenLinkOptions } from './serial-link';
export {
  DeviceClient,
  fingerprint,
  type DeviceClientEvents,
  type DeviceClientOptions,
  type DeviceInfo,
  type DeviceLogLine,
  type RequestOptions,
  type StageCredentials,
  type StageResult,
} from './device-client';
export { assertTestPassed, classifyTest, type TestFailure, type TestReport } from './test-report';
export { FrameParser, sanitizeLine, type FrameParserOptions, type SerialItem } from './frame-parser';
export { type TraceEntry } from './trace';
export {
  SerialError,
  isSerialError,
  DEVICE_ERROR_ADVICE,
  type SerialErrorCode,
  type SerialErrorDetails,
} from './errors';
export { openError, type OpenErrorEnvironment } from './open-errors';
export {
  discoverPorts,
  withLaneKeys,
  type DiscoveredPort,
  type DiscoveryOptions,
  type DiscoveryResult,
  type FilteredPort,
  type ListedPort,
} from './port-discovery';
export { PortWatcher, type PortWatcherEvents, type PortWatcherOptions } from './port-watcher';
export { LaneLabels } from './lane-labels';
export { KNOWN_ADAPTERS, adapterFamily, type AdapterFamily } from './usb-ids';
export type { DiscoveryFs, UsbIdentity } from './sysfs';
export type { BootEvent, HelloReply, LogLevel, Slots, SlotSummary, TestSlot, Operation } from '../../common/serial';
