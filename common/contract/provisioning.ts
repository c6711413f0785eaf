/**
 * The provisioning pipeline as the window and the CLI see it: lanes (one port and the device on
 * it), their steps, batch counters and settings. Nothing here ever carries a secret: lanes show
 * ids, key ids and the first bytes of fingerprints only.
 */
import { z } from 'zod';
import { defineEvent, defineMethod, noArgs } from './define';

/** The steps of one run, in order (DESIGN.md §2). */
export const STEP_NAMES = ['identify', 'resolve', 'mint', 'stage', 'verify', 'commit', 'record'] as const;
export const StepName = z.enum(STEP_NAMES);
export type StepName = z.infer<typeof StepName>;

export const StepStatus = z.enum(['pending', 'running', 'passed', 'failed', 'skipped']);
export type StepStatus = z.infer<typeof StepStatus>;

export const VerifyMode = z.enum(['device', 'station']);
export type VerifyMode = z.infer<typeof VerifyMode>;

export const IfProvisioned = z.enum(['ask', 'rotate', 'skip']);
export type IfProvisioned = z.infer<typeof IfProvisioned>;

/**
 * How a run ended. `unresolved`: the device may run on the new key but could not be asked; the key
 * stays active and a person settles it from the History.
 */
export const RunOutcome = z.enum(['passed', 'failed', 'skipped', 'unresolved']);
export type RunOutcome = z.infer<typeof RunOutcome>;

export const LaneState = z.enum(['idle', 'running', 'waiting', 'passed', 'failed', 'skipped', 'unresolved']);
export type LaneState = z.infer<typeof LaneState>;

export const ErrorView = z.strictObject({ code: z.string().max(100), message: z.string().max(2000) });

export const StepView = z.strictObject({
  name: StepName,
  status: StepStatus,
  ms: z.number().nonnegative().optional(),
});
export type StepView = z.infer<typeof StepView>;

/** A decision a run waits for; the window (or the CLI prompt) answers with `provisioning.answer`. */
export const Question = z.strictObject({
  kind: z.enum(['already-provisioned', 'device-id-mismatch']),
  message: z.string().max(2000),
  choices: z.array(z.enum(['rotate', 'skip', 'replace', 'stop'])).min(1),
});
export type Question = z.infer<typeof Question>;
export type Answer = Question['choices'][number];

export const LaneView = z.strictObject({
  id: z.string().max(200),
  port: z.string().max(500),
  usbSerialNumber: z.string().max(200).optional(),
  state: LaneState,
  step: StepName.optional(),
  /** 0..1, by finished steps. */
  progress: z.number().min(0).max(1),
  runId: z.string().max(100).optional(),
  hwid: z.string().max(200).optional(),
  model: z.string().max(200).optional(),
  firmware: z.string().max(200).optional(),
  deviceId: z.string().max(100).optional(),
  deviceName: z.string().max(500).optional(),
  keyId: z.string().max(100).optional(),
  fingerprintPrefix: z.string().max(64).optional(),
  verifyMode: VerifyMode.optional(),
  rotation: z.boolean().optional(),
  /** A failed unit the technician set aside (`provisioning.skip`): its lane is `skipped`, its reason kept. */
  setAside: z.boolean().optional(),
  startedAt: z.string().optional(),
  elapsedMs: z.number().nonnegative().optional(),
  steps: z.array(StepView),
  error: ErrorView.optional(),
  question: Question.optional(),
  /** Things a person should know that are not failures (an old shared key left alone, ...). */
  notes: z.array(z.string().max(1000)),
  attempts: z.number().int().nonnegative(),
});
export type LaneView = z.infer<typeof LaneView>;

export const BatchCounters = z.strictObject({
  lanes: z.number().int().nonnegative(),
  running: z.number().int().nonnegative(),
  waiting: z.number().int().nonnegative(),
  passed: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  skipped: z.number().int().nonnegative(),
  unresolved: z.number().int().nonnegative(),
});
export type BatchCounters = z.infer<typeof BatchCounters>;

export const ProvisioningSettings = z.strictObject({
  /** The application devices are provisioned into. */
  applicationId: z
    .string()
    .regex(/^[A-Fa-f\d]{24}$/)
    .optional(),
  verifyMode: VerifyMode,
  ifProvisioned: IfProvisioned,
  /** `{model}`, `{hwid}`, `{firmware}` are replaced. */
  deviceNameTemplate: z.string().min(1).max(200),
  /** `create` devices missing on the platform, or require them to be `pre-registered`. */
  registration: z.enum(['create', 'pre-registered']),
  /** What happens to the old key after a rotation proved the new one. */
  retireOldKey: z.enum(['deactivate', 'delete']),
  /** Start a lane when a device arrives on a watched port. */
  autoStart: z.boolean(),
  watchedPorts: z.array(z.string().max(500)).max(256),
  /** Optional MQTT broker written to the device with the credentials. */
  mqttBroker: z.string().max(500).optional(),
});
export type ProvisioningSettings = z.infer<typeof ProvisioningSettings>;

export const DEFAULT_PROVISIONING_SETTINGS: ProvisioningSettings = {
  verifyMode: 'device',
  ifProvisioned: 'ask',
  deviceNameTemplate: '{model}-{hwid}',
  registration: 'create',
  retireOldKey: 'deactivate',
  autoStart: false,
  watchedPorts: [],
};

/** The string attribute a device reports its verification nonce in (docs/serial-protocol.md §5.3). */
export const NONCE_ATTRIBUTE = 'keylineNonce';

const PortPath = z.string().min(1).max(500);

export const provisioningMethods = {
  'provisioning.start': defineMethod({
    summary: 'Start a run on each given port (a lane per port), or on every watched port when none is given.',
    args: z.strictObject({ ports: z.array(PortPath).max(256).optional() }),
    result: z.strictObject({ lanes: z.array(LaneView) }),
  }),
  'provisioning.stop': defineMethod({
    summary: 'Stop the given lanes (or all): runs in progress are cancelled and cleaned up.',
    args: z.strictObject({ laneIds: z.array(z.string().max(200)).max(256).optional() }),
    result: z.strictObject({ stopped: z.number().int().nonnegative() }),
  }),
  'provisioning.retry': defineMethod({
    summary: 'Run again the given lanes, or every failed lane when none is given.',
    args: z.strictObject({ laneIds: z.array(z.string().max(200)).max(256).optional() }),
    result: z.strictObject({ lanes: z.array(LaneView) }),
  }),
  'provisioning.skip': defineMethod({
    summary:
      'Set failed lanes aside: the unit stays as it is, "retry failed" passes it by, and its own Retry still works.',
    args: z.strictObject({ laneIds: z.array(z.string().max(200)).min(1).max(256) }),
    result: z.strictObject({ lanes: z.array(LaneView) }),
  }),
  'provisioning.answer': defineMethod({
    summary: 'Answer the question a lane is waiting on.',
    args: z.strictObject({ laneId: z.string().max(200), answer: z.enum(['rotate', 'skip', 'replace', 'stop']) }),
    result: z.strictObject({ accepted: z.boolean() }),
  }),
  'provisioning.lanes': defineMethod({
    summary: 'Every lane with its state, and the batch counters.',
    args: noArgs,
    result: z.strictObject({ lanes: z.array(LaneView), counters: BatchCounters }),
  }),
  'provisioning.getSettings': defineMethod({
    summary: 'The provisioning settings of this station.',
    args: noArgs,
    result: ProvisioningSettings,
  }),
  'provisioning.setSettings': defineMethod({
    summary: 'Change provisioning settings (only the fields given).',
    args: ProvisioningSettings.partial(),
    result: ProvisioningSettings,
  }),
} as const;

export const provisioningEvents = {
  'provisioning.laneAdded': defineEvent({
    summary: 'A lane appeared (a port was added or arrived).',
    payload: LaneView,
  }),
  'provisioning.laneUpdated': defineEvent({ summary: 'A lane changed (step, progress, question).', payload: LaneView }),
  'provisioning.laneStep': defineEvent({
    summary: 'A step of a lane started or ended.',
    payload: z.strictObject({
      laneId: z.string(),
      runId: z.string(),
      step: StepName,
      status: StepStatus,
      ms: z.number().nonnegative().optional(),
    }),
  }),
  'provisioning.laneFinished': defineEvent({ summary: 'A run ended, with its outcome.', payload: LaneView }),
  'provisioning.batch': defineEvent({ summary: 'The batch counters changed.', payload: BatchCounters }),
} as const;
