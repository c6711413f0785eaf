/**
 * The journal's record schema. Every kind is a strict object: a field the schema does not name is
 * refused, so nothing (a secret least of all) rides along in a record by accident. `detail` is the
 * one open door, flat and guarded like the rest.
 *
 * This file is pure zod (no Node), so the History view can share it through common/ later.
 */
import { z } from 'zod';

export const GENESIS_HASH = '0'.repeat(64);

export const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase SHA-256 hex digest');
export const IsoTime = z.iso.datetime({ offset: true });
export const RunId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'a run id (letters, digits, . _ -)');
/** Platform ids are 24 hex characters (platform-api.md). */
export const PlatformId = z.string().regex(/^[A-Fa-f\d]{24}$/, 'a 24-hex platform id');
export const Hwid = z
  .string()
  .min(1)
  .max(128)
  .refine((text) => !/\p{Cc}/u.test(text), 'a hardware id without control characters');
/** At most the first 8 bytes of a fingerprint: enough to match, never the whole digest. */
export const FingerprintPrefix = z.string().regex(/^[0-9a-f]{4,16}$/, 'the first 2 to 8 bytes of a fingerprint, hex');
const Name = z.string().regex(/^[a-z][a-z0-9-]{0,63}$/, 'a lowercase-kebab name');
const ShortText = z.string().max(256);
const Text = z.string().max(2000);
const Millis = z.number().finite().nonnegative();

export const Outcome = z.enum(['passed', 'failed', 'skipped', 'unresolved', 'reconciled']);
export type Outcome = z.infer<typeof Outcome>;

export const VerificationMode = z.enum(['device', 'station']);
export type VerificationMode = z.infer<typeof VerificationMode>;

export const RunAction = z.enum(['provision', 'rotate']);
export type RunAction = z.infer<typeof RunAction>;

export const ErrorInfo = z.strictObject({
  code: z.string().regex(/^[A-Z][A-Z0-9_]{1,63}$/, 'an UPPER_SNAKE error code'),
  message: Text,
});

/** Flat extra facts (ids, counts, modes). Keys and values pass the same secret guard. */
export const Detail = z
  .record(z.string().regex(/^[A-Za-z][A-Za-z0-9_.-]{0,63}$/), z.union([ShortText, z.number(), z.boolean(), z.null()]))
  .refine((value) => Object.keys(value).length <= 32, 'at most 32 detail entries');

export const StepTiming = z.strictObject({
  name: Name,
  status: z.enum(['passed', 'failed', 'skipped']),
  ms: Millis,
  startedAt: IsoTime.optional(),
  error: ErrorInfo.optional(),
  /** What happened inside the step worth keeping (a retry, its cause and wait). */
  detail: Detail.optional(),
});
export type StepTiming = z.infer<typeof StepTiming>;

/** Who did it, where: on every attempt-related kind. */
const context = {
  operator: ShortText.optional(),
  station: ShortText.optional(),
  workOrder: ShortText.optional(),
  port: ShortText.optional(),
};

const kinds = {
  /** Written, and made durable, BEFORE the access key is created: a crash can still find the key. */
  intent: {
    runId: RunId,
    action: RunAction,
    hwid: Hwid,
    /** The name the key will carry (`keyline-<runId>`), how reconciliation looks it up. */
    keyName: ShortText,
    deviceId: PlatformId.optional(),
    applicationId: PlatformId.optional(),
    previousAccessKeyId: PlatformId.optional(),
    model: ShortText.optional(),
    firmware: ShortText.optional(),
    verification: VerificationMode.optional(),
    ...context,
    detail: Detail.optional(),
  },
  /** Progress of one step of a run, for a crash to tell how far the run got. */
  step: {
    runId: RunId,
    step: Name,
    status: z.enum(['started', 'passed', 'failed', 'skipped']),
    ms: Millis.optional(),
    deviceId: PlatformId.optional(),
    accessKeyId: PlatformId.optional(),
    fingerprintPrefix: FingerprintPrefix.optional(),
    error: ErrorInfo.optional(),
    detail: Detail.optional(),
  },
  /** The end of an attempt: one per run (including skipped devices, which have no intent). */
  outcome: {
    runId: RunId,
    action: RunAction.optional(),
    outcome: Outcome,
    hwid: Hwid.optional(),
    deviceId: PlatformId.optional(),
    applicationId: PlatformId.optional(),
    accessKeyId: PlatformId.optional(),
    previousAccessKeyId: PlatformId.optional(),
    previousKeyAction: z.enum(['deactivated', 'deleted', 'kept', 'shared-not-touched']).optional(),
    fingerprintPrefix: FingerprintPrefix.optional(),
    verification: VerificationMode.optional(),
    model: ShortText.optional(),
    firmware: ShortText.optional(),
    startedAt: IsoTime.optional(),
    durationMs: Millis.optional(),
    steps: z.array(StepTiming).max(64).optional(),
    error: ErrorInfo.optional(),
    ...context,
    detail: Detail.optional(),
  },
  /**
   * What start-up recovery (or a person) did about a run: `action` says what
   * (revoked-key, kept-key, no-key-found, marked-unresolved, settled-by-person, ...); `outcome`,
   * when present, settles the run.
   */
  reconcile: {
    runId: RunId,
    action: Name,
    reason: Text,
    outcome: Outcome.optional(),
    hwid: Hwid.optional(),
    deviceId: PlatformId.optional(),
    accessKeyId: PlatformId.optional(),
    durationMs: Millis.optional(),
    error: ErrorInfo.optional(),
    ...context,
    detail: Detail.optional(),
  },
  /** An inspector action that changed or probed something (deactivate a key, test a device login). */
  inspect: {
    action: Name,
    runId: RunId.optional(),
    deviceId: PlatformId.optional(),
    applicationId: PlatformId.optional(),
    accessKeyId: PlatformId.optional(),
    hwid: Hwid.optional(),
    result: ShortText.optional(),
    error: ErrorInfo.optional(),
    operator: ShortText.optional(),
    station: ShortText.optional(),
    detail: Detail.optional(),
  },
  /** Taking a device out of service: its keys deactivated or deleted, the device maybe deleted. */
  decommission: {
    runId: RunId,
    action: Name,
    outcome: Outcome,
    deviceId: PlatformId,
    hwid: Hwid.optional(),
    applicationId: PlatformId.optional(),
    accessKeyIds: z.array(PlatformId).max(100).optional(),
    durationMs: Millis.optional(),
    error: ErrorInfo.optional(),
    ...context,
    detail: Detail.optional(),
  },
  /** The journal's own housekeeping: opened by a process, a damaged tail set aside, a new file. */
  journal: {
    event: z.enum(['opened', 'tail-quarantined', 'file-started']),
    command: ShortText.optional(),
    pid: z.number().int().nonnegative().optional(),
    hostname: ShortText.optional(),
    format: z.number().int().positive().optional(),
    file: ShortText.optional(),
    damagedFile: ShortText.optional(),
    offset: z.number().int().nonnegative().optional(),
    bytes: z.number().int().nonnegative().optional(),
    sha256: Sha256Hex.optional(),
    reason: Text.optional(),
    previousFile: ShortText.optional(),
  },
} as const;

const envelope = {
  seq: z.number().int().positive(),
  time: IsoTime,
  prevHash: Sha256Hex,
  hash: Sha256Hex,
};

export const JournalEntry = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('intent'), ...kinds.intent }),
  z.strictObject({ kind: z.literal('step'), ...kinds.step }),
  z.strictObject({ kind: z.literal('outcome'), ...kinds.outcome }),
  z.strictObject({ kind: z.literal('reconcile'), ...kinds.reconcile }),
  z.strictObject({ kind: z.literal('inspect'), ...kinds.inspect }),
  z.strictObject({ kind: z.literal('decommission'), ...kinds.decommission }),
  z.strictObject({ kind: z.literal('journal'), ...kinds.journal }),
]);
/** What a caller appends: a record without seq, time and hashes (the journal adds those). */
export type JournalEntry = z.infer<typeof JournalEntry>;
export type JournalEntryInput = z.input<typeof JournalEntry>;

export const JournalRecord = z.discriminatedUnion('kind', [
  z.strictObject({ ...envelope, kind: z.literal('intent'), ...kinds.intent }),
  z.strictObject({ ...envelope, kind: z.literal('step'), ...kinds.step }),
  z.strictObject({ ...envelope, kind: z.literal('outcome'), ...kinds.outcome }),
  z.strictObject({ ...envelope, kind: z.literal('reconcile'), ...kinds.reconcile }),
  z.strictObject({ ...envelope, kind: z.literal('inspect'), ...kinds.inspect }),
  z.strictObject({ ...envelope, kind: z.literal('decommission'), ...kinds.decommission }),
  z.strictObject({ ...envelope, kind: z.literal('journal'), ...kinds.journal }),
]);
export type JournalRecord = z.infer<typeof JournalRecord>;
export type JournalKind = JournalRecord['kind'];
export type RecordOf<K extends JournalKind> = Extract<JournalRecord, { kind: K }>;
