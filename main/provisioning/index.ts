/**
 * The provisioning pipeline (DESIGN.md §2): lanes, their runs, reconciliation, settings, and the
 * adapters to the serial link, the platform client and the journal. What other folders may use.
 */
export { ProvisioningService, type ProvisioningServiceOptions, type ProvisioningTarget } from './service';
export { provisioningHandlers, laneEventsTo } from './handlers';
export { portInfo } from './port-info';
export type { StationProvisioningOptions } from './station-options';
export { LaneManager, type LaneEvents, type PortInfo } from './lane-manager';
export { SettingsStore } from './settings-store';
export { ProvisioningError, type ProvisioningErrorCode, describeError } from './errors';
export { platformPort } from './adapters/platform-port';
export { journalPort } from './adapters/journal-port';
export { serialConnector, deviceLinkOver } from './adapters/serial-connector';
export { reconcileUnfinished, type ReconcileSummary } from './reconcile';
export { runLane, type RunResult } from './run/lane-run';
export { credentialFingerprint, fingerprintPrefix } from './fingerprint';
export { KEY_NAME_PREFIX, keyNameFor } from './run-id';
export type * from './ports';
