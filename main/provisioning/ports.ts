/**
 * What the pipeline needs from the serial link, the platform and the journal, said as small
 * interfaces so that the state machine reads as the pipeline of DESIGN.md §2 and nothing else.
 * The real modules satisfy these through the adapters in `adapters/`; unit tests pass fakes.
 */

// ---------------------------------------------------------------------------------------------
// Device (serial protocol client)

/** One credentials slot as the device reports it in `hello`. Never a secret. */
export interface SlotInfo {
  deviceId: string;
  /** The access key (the public half), as given to `stage`. */
  accessKey: string;
  /** The platform's id of the key, when the station gave it with `stage`. */
  keyId?: string;
  /** First bytes (hex) of SHA-256 over `key:secret`. */
  fingerprintPrefix: string;
}

export interface DeviceHello {
  protocolVersion: number;
  model: string;
  hwid: string;
  firmware: string;
  capabilities: string[];
  slots: { active?: SlotInfo; staged?: SlotInfo; previous?: SlotInfo; pending?: boolean };
  /** The device's clock and whether it believes it is set. */
  clock?: { unix: number; valid: boolean };
}

export interface StageRequest {
  deviceId: string;
  accessKey: string;
  keyId?: string;
  secret: string;
  apiUrl: string;
  mqttBroker?: string;
}

/** What the device's `test` reports, step by step. */
export interface DeviceTestResult {
  ok: boolean;
  /** HTTP status of the device's `POST /auth/device`, when it got that far. */
  authStatus?: number;
  /** HTTP status of its state report, when it got that far. */
  reportStatus?: number;
  /** Where it stopped, when it did not succeed. */
  failure?: 'network' | 'clock' | 'auth' | 'report' | 'other';
  /** The device's own code for a step that got no HTTP answer (DNS, CONNECT, TLS, TIMEOUT, ...). */
  detail?: string;
  /** The platform's Retry-After on the failed step, when the device reports it (docs/serial-protocol.md §5.3). */
  retryAfterMs?: number;
}

/** An open conversation with the device on one port. */
export interface DeviceLink {
  readonly path: string;
  hello(signal: AbortSignal): Promise<DeviceHello>;
  /** Answers the device's fingerprint (hex SHA-256 over key and secret); the secret is never read back. */
  stage(request: StageRequest, signal: AbortSignal): Promise<{ fingerprint: string }>;
  /** The device reports the nonce in its `keylineNonce` attribute (docs/serial-protocol.md §5.3). */
  test(request: { slot: 'staged' | 'active'; nonce: string }, signal: AbortSignal): Promise<DeviceTestResult>;
  commit(signal: AbortSignal): Promise<void>;
  confirm(signal: AbortSignal): Promise<void>;
  rollback(signal: AbortSignal): Promise<void>;
  discard(signal: AbortSignal): Promise<void>;
  identify(signal: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

/** Opens a port. Fails with a typed error (permission, busy, gone) a technician can act on. */
export interface DeviceConnector {
  open(path: string, signal: AbortSignal): Promise<DeviceLink>;
}

// ---------------------------------------------------------------------------------------------
// Platform (REST client)

export interface Tag {
  key: string;
  value: string;
}

export interface PlatformDevice {
  id: string;
  name: string;
  deviceClass: string;
  tags: Tag[];
  attributes: Array<{ name: string; dataType: string }>;
}

export interface PlatformKey {
  id: string;
  /** The access key (the public half). */
  key: string;
  name?: string;
  status: 'active' | 'inactive';
  deviceIds?: string[];
  deviceTags?: Tag[];
}

/** A key as the create call answers it: the only time its secret is ever seen. */
export interface MintedKey extends PlatformKey {
  secret: string;
  /** Lets go of whatever the platform client registered for this secret (its redactor entry). */
  release?: () => void;
}

export interface PlatformPort {
  /** The API base URL the device is given to reach the platform. */
  readonly apiUrl: string;
  findDevicesByTag(appId: string, tag: Tag, signal: AbortSignal): Promise<PlatformDevice[]>;
  createDevice(
    appId: string,
    body: { name: string; deviceClass: string; tags: Tag[]; attributes: Array<{ name: string; dataType: string }> },
    signal: AbortSignal,
  ): Promise<PlatformDevice>;
  getDevice(appId: string, deviceId: string, signal: AbortSignal): Promise<PlatformDevice>;
  setDeviceAttributes(
    appId: string,
    deviceId: string,
    attributes: Array<{ name: string; dataType: string }>,
    signal: AbortSignal,
  ): Promise<PlatformDevice>;
  createKey(
    appId: string,
    body: { name: string; description: string; deviceIds: string[] },
    signal: AbortSignal,
  ): Promise<MintedKey>;
  findKeysByName(appId: string, name: string, signal: AbortSignal): Promise<PlatformKey[]>;
  findKeysByAccessKey(appId: string, accessKey: string, signal: AbortSignal): Promise<PlatformKey[]>;
  getKey(appId: string, keyId: string, signal: AbortSignal): Promise<PlatformKey>;
  setKeyStatus(appId: string, keyId: string, status: 'active' | 'inactive', signal: AbortSignal): Promise<void>;
  deleteKey(appId: string, keyId: string, signal: AbortSignal): Promise<void>;
  compositeState(
    appId: string,
    deviceId: string,
    signal: AbortSignal,
  ): Promise<Record<string, { value?: unknown; time?: unknown }>>;
  /** The station's own `POST /auth/device`; the device token it answers is dropped at once. */
  authenticateDevice(
    credentials: { deviceId: string; key: string; secret: string },
    signal: AbortSignal,
  ): Promise<{ deviceId: string }>;
}

// ---------------------------------------------------------------------------------------------
// Journal

export interface StepRecord {
  name: string;
  status: 'passed' | 'failed' | 'skipped';
  ms: number;
  /** Flat facts about the step (a retry, its cause, how long it waited); never a secret. */
  detail?: Record<string, string | number | boolean>;
}

/** Written before the key is created, so that a crash between the two can still find it by name. */
export interface RunIntent {
  runId: string;
  time: string;
  station: string;
  operator: string;
  applicationId: string;
  port: string;
  hwid: string;
  deviceId: string;
  keyName: string;
  verifyMode: 'device' | 'station';
  /** The device already had credentials: a rotation. */
  rotation: boolean;
  model?: string;
  firmware?: string;
  /** Set for a rotation: the key the device ran on before, and whether it may be retired. */
  oldKeyId?: string;
  oldKeyExclusive?: boolean;
}

/** The one record of how a run ended. Ids and fingerprint prefixes only, never a secret. */
export interface RunRecord {
  runId: string;
  time: string;
  startedAt?: string;
  station: string;
  operator: string;
  applicationId?: string;
  port: string;
  hwid?: string;
  model?: string;
  firmware?: string;
  deviceId?: string;
  keyId?: string;
  keyName?: string;
  fingerprintPrefix?: string;
  outcome: 'passed' | 'failed' | 'skipped' | 'unresolved';
  error?: { code: string; message: string };
  verifyMode?: 'device' | 'station';
  /** False when the station, not the device, proved the key (verify mode `station`). */
  devicePathProven?: boolean;
  rotation?: { oldKeyId?: string; oldKey: 'deactivated' | 'deleted' | 'left-shared' | 'not-found' | 'kept' };
  /** What was done to the new key on failure. */
  newKey?: 'kept' | 'revoked' | 'revoke-failed' | 'none';
  steps: StepRecord[];
  timing?: { totalMs: number; deviceMs: number; platformMs: number; stationMs: number };
  notes: string[];
  /** Set when start-up reconciliation, not the run itself, wrote this record. */
  reconciled?: boolean;
}

export interface UnfinishedRun {
  intent: RunIntent;
  /** Whether `commit` may have reached the device. */
  commitSent: boolean;
}

/** What start-up reconciliation did about an interrupted run. */
export interface ReconcileRecord {
  runId: string;
  action:
    | 'revoked-key'
    | 'kept-key'
    | 'no-key-found'
    | 'marked-unresolved'
    | 'revoke-failed'
    | 'lookup-failed'
    /** A person set a failed unit aside (`provisioning.skip`); the run's outcome stays `failed`. */
    | 'set-aside';
  reason: string;
  /** Settles the run when present; absent when it must be tried again at the next start. */
  outcome?: 'passed' | 'failed' | 'unresolved';
  hwid?: string;
  deviceId?: string;
  keyId?: string;
  station: string;
  operator: string;
  port?: string;
  error?: { code: string; message: string };
}

export interface JournalPort {
  appendIntent(intent: RunIntent): Promise<void>;
  appendOutcome(record: RunRecord): Promise<void>;
  appendReconcile(record: ReconcileRecord): Promise<void>;
  /**
   * Made durable before `commit` is sent: without it, reconciliation knows the device cannot run on
   * the run's key, whether or not the device can be asked.
   */
  appendCommitStarted(runId: string): Promise<void>;
  /** Intents with no outcome yet: runs a crash interrupted. */
  unfinishedIntents(): Promise<UnfinishedRun[]>;
  /**
   * Runs whose last word is `unresolved` (the device could not be asked): their keys stay active
   * until the device answers `hello` or a person settles them.
   */
  unresolvedRuns?(): Promise<UnfinishedRun[]>;
}

// ---------------------------------------------------------------------------------------------
// Everything else a run needs

export interface Clock {
  now(): Date;
  /** Monotonic milliseconds for durations. */
  monotonic(): number;
}

export const systemClock: Clock = {
  now: () => new Date(),
  monotonic: () => performance.now(),
};

/** Registers a secret with the station's redactor; returns the release. */
export type SecretRegistry = (secret: string) => () => void;
