/**
 * The station's screens on the main side (issue 7): History over the journal, the port doctor,
 * the Station screen's session, lane details and scanner, re-provision and decommission, the
 * station's own preferences. What other folders may use.
 */
export { HistoryService, HistoryError, type SaveFilePicker, type HistoryErrorCode } from './history/history-service';
export { historyHandlers } from './history/history-handlers';
export { historyRows } from './history/history-rows';
export { composeStationArea, type StationArea, type StationAreaOptions } from './compose-area';
export { PrefsStore, PREFS_FILE } from './prefs-store';
export { StationError, type StationErrorCode } from './errors';
export type { SandboxHandle } from './sandbox-handle';
export { serialOpener, routedOpener, withDevice, type DeviceOpener, type OpenedDevice } from './device-opener';
export { decommission, type DecommissionDeps } from './device-care/decommission';
export { isLoopbackUrl } from './station-connector';
export { StationService } from './station-service';
export { JournalOwner, type JournalOwnerOptions } from './journal-owner';
export { stationConnector, type ConnectorGuards } from './station-connector';
export { listStationPorts } from './ports/port-list';
