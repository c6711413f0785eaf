import { z } from 'zod';
import { AccessKeyView, ConnectionLogEntry, DeviceSummary, InspectPlatformId } from './inspect-platform';

/**
 * Device inspection over serial and "why can't this device connect?" (issue 8 §3, §4). What the
 * device says about itself never includes a secret: slots carry the key, its id and the first
 * bytes of the fingerprint only.
 */

const Text = z.string().max(2000);
const Short = z.string().max(500);
const Time = z.string().max(64);
/**
 * A serial port path as the operating system names it: an absolute path (/dev/ttyUSB0, a pty's
 * link), COM3, or \\.\COM12. Anything else from the window is refused before a file is opened.
 */
export const PortPath = z
  .string()
  .min(1)
  .max(300)
  .regex(/^(?:\/[^\0]*|COM\d{1,3}|\\\\\.\\COM\d{1,3})$/, 'a serial port path (/dev/…, COM3)');

export const SlotView = z.strictObject({
  deviceId: Short,
  key: Short,
  keyId: Short.nullable(),
  /** The first 8 bytes of SHA-256(key ":" secret), hex. */
  fingerprint: Short,
});
export type SlotView = z.infer<typeof SlotView>;

export const DeviceSide = z.strictObject({
  port: z.string().max(300),
  hwid: Short,
  model: Short,
  firmware: Short,
  protocol: z.number().int(),
  capabilities: z.array(Short).max(20),
  clock: z.strictObject({
    deviceTime: Time,
    valid: z.boolean(),
    /** Device clock minus station clock. */
    skewSeconds: z.number(),
  }),
  uptimeSeconds: z.number(),
  boots: z.number().int(),
  active: SlotView.nullable(),
  staged: SlotView.nullable(),
  previous: SlotView.nullable(),
  /** A commit waits for confirm or rollback. */
  pending: z.boolean(),
});
export type DeviceSide = z.infer<typeof DeviceSide>;

/** One line of the side-by-side view: what the device holds next to what the platform says. */
export const ComparisonRow = z.strictObject({
  label: Short,
  onDevice: Text,
  onPlatform: Text,
  /** null: nothing to compare. */
  agree: z.boolean().nullable(),
});
export type ComparisonRow = z.infer<typeof ComparisonRow>;

export const SerialInspection = z.strictObject({
  device: DeviceSide,
  applicationId: InspectPlatformId.nullable(),
  /** The platform record of the device id the device holds. */
  platformDevice: DeviceSummary.nullable(),
  /** The platform devices tagged with the device's hwid. */
  byHwid: z.array(DeviceSummary).max(20),
  key: AccessKeyView.nullable(),
  rows: z.array(ComparisonRow).max(30),
  notes: z.array(Text).max(20),
});
export type SerialInspection = z.infer<typeof SerialInspection>;

/** Each cause of a failed connection the diagnosis checks. */
export const CauseCode = z.enum([
  'NO_CREDENTIALS',
  'DEVICE_DELETED',
  'DEVICE_CLASS_CANNOT_CONNECT',
  'KEY_DELETED',
  'KEY_INACTIVE',
  'KEY_RESTRICTED_TO_OTHER_DEVICES',
  'DEVICE_ID_MISMATCH',
  'SECRET_MISMATCH',
  'CLOCK_FAR_OFF',
  'PLATFORM_UNREACHABLE_FROM_DEVICE',
]);
export type CauseCode = z.infer<typeof CauseCode>;

export const CauseCheck = z.strictObject({
  cause: CauseCode,
  title: Short,
  /** holds: this is (part of) why it cannot connect; clear: checked, not the cause; unknown: could not tell. */
  status: z.enum(['holds', 'clear', 'unknown']),
  /** What was found, in plain words. */
  finding: Text,
  evidence: z.array(Text).max(10),
  /** What to do, in plain words (for a cause that holds). */
  fix: Text,
});
export type CauseCheck = z.infer<typeof CauseCheck>;

export const DeviceTestView = z.strictObject({
  passed: z.boolean(),
  /** The device's own steps: auth, then state, each with the HTTP status or a network error. */
  steps: z.array(z.strictObject({ step: Short, status: z.number().int(), error: Short.nullable() })).max(5),
  failure: Short.nullable(),
});
export type DeviceTestView = z.infer<typeof DeviceTestView>;

export const Diagnosis = z.strictObject({
  /** What was diagnosed. */
  subject: z.strictObject({
    port: z.string().max(300).nullable(),
    hwid: Short.nullable(),
    deviceId: InspectPlatformId.nullable(),
    deviceName: Short.nullable(),
    applicationId: InspectPlatformId.nullable(),
    accessKeyId: InspectPlatformId.nullable(),
  }),
  checkedAt: Time,
  verdict: z.enum(['causesFound', 'noCauseFound']),
  /** One sentence for the top of the report. */
  summary: Text,
  /** Causes that hold first, then unknown, then clear. */
  checks: z.array(CauseCheck).max(20),
  found: z.array(CauseCode).max(20),
  deviceTest: DeviceTestView.nullable(),
  connectionLog: z.array(ConnectionLogEntry).max(20),
  notes: z.array(Text).max(20),
  journaled: z.boolean(),
});
export type Diagnosis = z.infer<typeof Diagnosis>;

export const SerialInspectArgs = z.strictObject({
  port: PortPath,
  applicationId: InspectPlatformId.optional(),
});

export const DiagnoseArgs = z
  .strictObject({
    port: PortPath.optional(),
    deviceId: InspectPlatformId.optional(),
    applicationId: InspectPlatformId.optional(),
    /** Let the device try its credentials against the platform (default true when it can). */
    deviceTest: z.boolean().optional(),
  })
  .refine((args) => (args.port === undefined) !== (args.deviceId === undefined), {
    message: 'give either a port or a device id',
  });
export type DiagnoseArgs = z.infer<typeof DiagnoseArgs>;
