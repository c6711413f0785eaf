/**
 * The operations of protocol version 1 and what the host may assume about each
 * (docs/serial-protocol.md §5 and §7). One table, read by the station's client, the device
 * simulator and the protocol document's examples, so the three cannot drift apart.
 */
export const OPERATIONS = [
  'hello',
  'stage',
  'test',
  'commit',
  'confirm',
  'rollback',
  'discard',
  'wipe',
  'identify',
  'log',
  'reboot',
] as const;
export type Operation = (typeof OPERATIONS)[number];

/** Every device speaking version 1 implements these. */
export const REQUIRED_OPERATIONS: readonly Operation[] = [
  'hello',
  'stage',
  'commit',
  'confirm',
  'rollback',
  'discard',
  'wipe',
  'reboot',
];

/** Announced in `hello.caps` when present. `mqtt`: the device can use the `mqtt` field of `stage`. */
export const OPTIONAL_CAPABILITIES = ['test', 'identify', 'log', 'mqtt'] as const;
export type Capability = (typeof OPTIONAL_CAPABILITIES)[number];

export interface OperationSpec {
  /** How long the host waits for the reply, on top of the wire time of request and reply. */
  readonly timeoutMs: number;
  /** Repeating it leaves the device as one execution would: the host may retry it on its own. */
  readonly idempotent: boolean;
  /** Largest reply the host budgets wire time for, in bytes. */
  readonly replyBudget: number;
  /** The request carries a secret: its payload is never traced, only its field names. */
  readonly carriesSecret: boolean;
}

export const OPERATION_SPECS: Readonly<Record<Operation, OperationSpec>> = {
  hello: { timeoutMs: 1000, idempotent: true, replyBudget: 1024, carriesSecret: false },
  stage: { timeoutMs: 3000, idempotent: true, replyBudget: 1024, carriesSecret: true },
  test: { timeoutMs: 30000, idempotent: false, replyBudget: 512, carriesSecret: false },
  commit: { timeoutMs: 3000, idempotent: false, replyBudget: 1024, carriesSecret: false },
  confirm: { timeoutMs: 3000, idempotent: true, replyBudget: 1024, carriesSecret: false },
  rollback: { timeoutMs: 3000, idempotent: false, replyBudget: 1024, carriesSecret: false },
  discard: { timeoutMs: 3000, idempotent: true, replyBudget: 1024, carriesSecret: false },
  wipe: { timeoutMs: 5000, idempotent: true, replyBudget: 1024, carriesSecret: false },
  identify: { timeoutMs: 1000, idempotent: true, replyBudget: 64, carriesSecret: false },
  log: { timeoutMs: 2000, idempotent: true, replyBudget: 16398, carriesSecret: false },
  reboot: { timeoutMs: 1000, idempotent: false, replyBudget: 64, carriesSecret: false },
};

/** Device-side limit for each HTTP step of `test`; the host's 30 s covers two steps plus margin. */
export const DEVICE_HTTP_TIMEOUT_MS = 10000;

/** Default line speed; the protocol itself does not depend on it. */
export const DEFAULT_BAUD_RATE = 115200;

/** Wire time of `bytes` at `baudRate` with 8N1 framing (10 bit times per byte), in milliseconds. */
export function wireTimeMs(bytes: number, baudRate: number): number {
  return (bytes * 10 * 1000) / baudRate;
}

/** The reply deadline the host uses for one request of `requestBytes` (docs §7). */
export function replyTimeoutMs(operation: Operation, requestBytes: number, baudRate: number): number {
  const spec = OPERATION_SPECS[operation];
  return spec.timeoutMs + Math.ceil(wireTimeMs(requestBytes + spec.replyBudget, baudRate));
}

export function isOperation(value: unknown): value is Operation {
  return typeof value === 'string' && (OPERATIONS as readonly string[]).includes(value);
}
