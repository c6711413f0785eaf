/**
 * The station's screens on the main side (issue 7): History over the journal, the port doctor,
 * the Station screen's session, lane details and scanner, re-provision and decommission, the
 * station's own settings. What other folders may use.
 */
export { HistoryService, HistoryError, type SaveFilePicker, type HistoryErrorCode } from './history/history-service';
export { historyHandlers } from './history/history-handlers';
export { historyRows } from './history/history-rows';
