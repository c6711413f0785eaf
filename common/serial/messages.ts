import { z } from 'zod';

/**
 * Payload schemas of protocol version 1 (docs/serial-protocol.md §5–§6). Objects are not strict:
 * a receiver ignores fields it does not know, so a later minor revision can add fields without a
 * new major version. Limits are the protocol's, so both ends refuse the same inputs.
 */

const hex = (length: number) => z.string().regex(new RegExp(`^[0-9a-f]{${length}}$`));
/** Printable ASCII without space: what access keys and secrets are made of. */
const token = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[\x21-\x7e]+$/);
const url = (schemes: string[]) =>
  z
    .string()
    .max(256)
    .regex(new RegExp(`^(${schemes.join('|')})://[^\\s/?#]+(/[^\\s]*)?$`));

export const DeviceIdField = z.string().regex(/^[0-9a-fA-F]{24}$/);
export const NonceField = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);
export const SlotName = z.enum(['active', 'staged', 'previous']);
export type SlotName = z.infer<typeof SlotName>;
export const TestSlot = z.enum(['staged', 'active']);
export type TestSlot = z.infer<typeof TestSlot>;
export const LogLevel = z.enum(['error', 'warn', 'info', 'debug']);
export type LogLevel = z.infer<typeof LogLevel>;

// ---- requests (host to device) ----

export const HelloRequest = z.object({ op: z.literal('hello') });
export const StageRequest = z.object({
  op: z.literal('stage'),
  deviceId: DeviceIdField,
  key: token(128),
  /** The platform's id of the access key (24 hex), kept so `hello` can name it. */
  keyId: DeviceIdField.optional(),
  secret: token(256),
  apiUrl: url(['http', 'https']),
  mqtt: z.object({ url: url(['mqtt', 'mqtts']) }).optional(),
});
export const TestRequest = z.object({ op: z.literal('test'), slot: TestSlot, nonce: NonceField });
export const CommitRequest = z.object({ op: z.literal('commit') });
export const ConfirmRequest = z.object({ op: z.literal('confirm') });
export const RollbackRequest = z.object({ op: z.literal('rollback') });
export const DiscardRequest = z.object({ op: z.literal('discard') });
/** Wipe names the unit it is meant for, so a swapped cable cannot erase the wrong device. */
export const WipeRequest = z.object({ op: z.literal('wipe'), hwid: z.string().min(1).max(64) });
export const IdentifyRequest = z.object({
  op: z.literal('identify'),
  seconds: z.number().int().min(1).max(60).optional(),
});
export const LogRequest = z.object({
  op: z.literal('log'),
  lines: z.number().int().min(1).max(200).optional(),
  level: LogLevel.optional(),
});
export const RebootRequest = z.object({
  op: z.literal('reboot'),
  delayMs: z.number().int().min(0).max(5000).optional(),
});

export const Request = z.discriminatedUnion('op', [
  HelloRequest,
  StageRequest,
  TestRequest,
  CommitRequest,
  ConfirmRequest,
  RollbackRequest,
  DiscardRequest,
  WipeRequest,
  IdentifyRequest,
  LogRequest,
  RebootRequest,
]);
export type Request = z.infer<typeof Request>;
export type StageRequest = z.infer<typeof StageRequest>;

// ---- replies (device to host) ----

/** What `hello` and every slot-changing reply say about one slot: identities, never the secret. */
export const SlotSummary = z.object({
  deviceId: DeviceIdField,
  key: token(128),
  keyId: DeviceIdField.nullable(),
  /** First 8 bytes of the slot's fingerprint, 16 lowercase hex digits. */
  fp: hex(16),
});
export type SlotSummary = z.infer<typeof SlotSummary>;

export const Slots = z.object({
  active: SlotSummary.nullable(),
  staged: SlotSummary.nullable(),
  previous: SlotSummary.nullable(),
  /** A commit awaits `confirm` or `rollback` (then `previous` holds what was active before, or null). */
  pending: z.boolean(),
});
export type Slots = z.infer<typeof Slots>;

export const DEVICE_ERROR_CODES = [
  'BAD_REQUEST',
  'UNKNOWN_OP',
  'VERSION_UNSUPPORTED',
  'TOO_LARGE',
  'BUSY',
  'NO_STAGED',
  'NO_ACTIVE',
  'NO_PREVIOUS',
  'COMMIT_PENDING',
  'FLASH_WRITE_FAILED',
  'HWID_MISMATCH',
  'INTERNAL',
] as const;
export type DeviceErrorCode = (typeof DEVICE_ERROR_CODES)[number];

export const ErrorReply = z.object({
  ok: z.literal(false),
  error: z.object({
    /** One of DEVICE_ERROR_CODES; a host treats an unknown code as INTERNAL. */
    code: z.string().min(1).max(32),
    message: z.string().max(200),
    /** BAD_REQUEST: the request field that was refused. */
    field: z.string().max(32).optional(),
  }),
  /** VERSION_UNSUPPORTED: the protocol versions the device speaks. */
  supported: z.array(z.number().int().min(0).max(255)).max(16).optional(),
});
export type ErrorReply = z.infer<typeof ErrorReply>;

export const HelloReply = z.object({
  ok: z.literal(true),
  proto: z.number().int().min(0).max(255),
  model: z.string().min(1).max(64),
  hwid: z.string().min(1).max(64),
  fw: z.string().min(1).max(32),
  caps: z.array(z.string().max(32)).max(32),
  maxPayload: z.number().int().min(1024).max(16384),
  clock: z.object({ unix: z.number().int(), valid: z.boolean() }),
  uptimeMs: z.number().int().nonnegative(),
  boots: z.number().int().nonnegative(),
  slots: Slots,
});
export type HelloReply = z.infer<typeof HelloReply>;

export const StageReply = z.object({ ok: z.literal(true), fp: hex(64), slots: Slots });
export type StageReply = z.infer<typeof StageReply>;

export const TEST_STEP_ERRORS = [
  'NO_NETWORK',
  'DNS',
  'CONNECT',
  'TLS',
  'TIMEOUT',
  'CLOCK_INVALID',
  'BAD_RESPONSE',
] as const;
export const TestStep = z.object({
  step: z.enum(['auth', 'state']),
  /** HTTP status of the platform's answer; 0 when no answer came (see `error`). */
  status: z.number().int().min(0).max(599),
  ms: z.number().int().nonnegative(),
  error: z.enum(TEST_STEP_ERRORS).optional(),
  /** Seconds from the platform's Retry-After on a 429/503 answer, when the device passes it on. */
  retryAfter: z.number().int().min(0).max(86_400).optional(),
});
export type TestStep = z.infer<typeof TestStep>;

export const TestReply = z.object({
  ok: z.literal(true),
  slot: TestSlot,
  passed: z.boolean(),
  steps: z.array(TestStep).max(2),
});
export type TestReply = z.infer<typeof TestReply>;

export const SlotsReply = z.object({ ok: z.literal(true), slots: Slots });
export type SlotsReply = z.infer<typeof SlotsReply>;
export const EmptyReply = z.object({ ok: z.literal(true) });
export const LogReply = z.object({
  ok: z.literal(true),
  level: LogLevel,
  lines: z.array(z.string().max(1024)).max(200),
});
export type LogReply = z.infer<typeof LogReply>;

/** The success reply of each operation. */
export const REPLY_SCHEMAS = {
  hello: HelloReply,
  stage: StageReply,
  test: TestReply,
  commit: SlotsReply,
  confirm: SlotsReply,
  rollback: SlotsReply,
  discard: SlotsReply,
  wipe: SlotsReply,
  identify: EmptyReply,
  log: LogReply,
  reboot: EmptyReply,
} as const;

// ---- events (device to host, id 0) ----

export const BootEvent = z.object({
  event: z.literal('boot'),
  proto: z.number().int().min(0).max(255),
  reason: z.enum(['power-on', 'reset', 'watchdog', 'brownout', 'requested', 'crash']),
  boots: z.number().int().nonnegative(),
});
export type BootEvent = z.infer<typeof BootEvent>;
