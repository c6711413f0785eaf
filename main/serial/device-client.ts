import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import {
  BootEvent,
  decodeJsonPayload,
  encodeFrame,
  encodeJsonPayload,
  ErrorReply,
  fingerprintInput,
  FrameType,
  type HelloReply,
  type LogLevel,
  type LogReply,
  MAX_PAYLOAD,
  type Operation,
  OPERATION_SPECS,
  PROTOCOL_VERSION,
  replyTimeoutMs,
  REPLY_SCHEMAS,
  type Slots,
  StageRequest,
  type TestReply,
  type TestSlot,
  DEFAULT_BAUD_RATE,
} from '../../common/serial';
import type { SecretRedactor } from '../security/secret-redactor';
import { DEVICE_ERROR_ADVICE, SerialError, type SerialErrorCode } from './errors';
import { escapeControls, type SerialItem } from './frame-parser';
import { frameKind, receivedTraceText, requestTraceText, type TraceEntry } from './trace';
import { classifyTest, type TestReport } from './test-report';
import type { z } from 'zod';

export interface DeviceLogLine {
  port: string;
  /** Redacted: every secret the station holds is replaced, in raw, hex and base64 forms. */
  text: string;
  /** The line ended by length or idle time rather than a newline. */
  cut: boolean;
  time: string;
}

export interface DeviceClientEvents {
  log: [DeviceLogLine];
  trace: [TraceEntry];
  boot: [BootEvent];
}

export interface DeviceClientOptions {
  /** Hands bytes to the port; rejects with a SerialError when the port is gone or closed. */
  write: (bytes: Uint8Array) => Promise<void>;
  redactor: SecretRedactor;
  /** The port path, for messages. */
  portName: string;
  baudRate?: number;
  /** Extra attempts for idempotent operations after a timeout, a damaged reply or a reset (default 2). */
  retries?: number;
  /** Base reply timeouts per operation, replacing the protocol's defaults (tests, slow products). */
  timeouts?: Partial<Record<Operation, number>>;
  /** Wall clock in ms, for the device clock skew. */
  now?: () => number;
  firstRequestId?: number;
  /** Polled while a request waits; false means the port vanished (device unplugged). */
  isPresent?: () => Promise<boolean>;
  presenceIntervalMs?: number;
}

export interface RequestOptions {
  signal?: AbortSignal;
}

export type DeviceInfo = HelloReply & {
  /** Device clock minus station clock, in ms (the device reports whole seconds). */
  clockSkewMs: number;
  /** The protocol version of the frames the device sent. */
  version: number;
};

export interface StageCredentials {
  deviceId: string;
  key: string;
  keyId?: string;
  secret: string;
  apiUrl: string;
  mqttUrl?: string;
}

export interface StageResult {
  fingerprint: string;
  slots: Slots;
}

type Outcome =
  | { type: 'reply'; version: number; payload: Uint8Array }
  | { type: 'damaged' }
  | { type: 'timeout'; damagedSeen: boolean }
  | { type: 'boot'; event: BootEvent }
  | { type: 'aborted' }
  | { type: 'failed'; error: SerialError };

interface Waiter {
  id: number;
  settle: (outcome: Outcome) => void;
  damagedSeen: boolean;
}

const OPTIONAL_OPERATIONS: Partial<Record<Operation, string>> = { test: 'test', identify: 'identify', log: 'log' };

/**
 * The station's side of the protocol over one port (docs/serial-protocol.md): one request at a
 * time, replies matched by id, a timeout per operation, bounded retries of idempotent operations
 * only, typed errors, the device's log lines as events, and traces that never carry a secret.
 * It does not own the port: `SerialLink` feeds it parsed items and calls `fail` when the port goes.
 */
export class DeviceClient extends EventEmitter<DeviceClientEvents> {
  readonly portName: string;
  readonly #options: DeviceClientOptions;
  readonly #baudRate: number;
  #nextId: number;
  #queue: Promise<unknown> = Promise.resolve();
  #waiter: Waiter | undefined;
  #failure: SerialError | undefined;
  #info: DeviceInfo | undefined;
  /** The last log line piece was cut: the next one continues it. */
  #continuesCut = false;

  constructor(options: DeviceClientOptions) {
    super();
    this.#options = options;
    this.portName = options.portName;
    this.#baudRate = options.baudRate ?? DEFAULT_BAUD_RATE;
    this.#nextId = options.firstRequestId ?? 1 + Math.floor(Math.random() * 65535);
  }

  /** What the last `hello` said, if any. */
  get info(): DeviceInfo | undefined {
    return this.#info;
  }

  get closed(): boolean {
    return this.#failure !== undefined;
  }

  /** Feeds one parsed item from the port. */
  receive(item: SerialItem): void {
    const redactor = this.#options.redactor;
    if (item.kind === 'line') {
      // A secret printed across a cut (an endless line, a pause mid-line) is masked on both sides.
      const text = redactor.redactPiece(item.text, { start: this.#continuesCut, end: item.cut });
      this.#continuesCut = item.cut;
      this.emit('log', { port: this.portName, text, cut: item.cut, time: stamp() });
      return;
    }
    if (item.kind === 'damaged') {
      this.#trace({ direction: 'rx', kind: 'damaged', id: item.id, bytes: item.length + 14, text: item.reason });
      const waiter = this.#waiter;
      if (waiter) {
        if (item.type === FrameType.reply && item.id === waiter.id) waiter.settle({ type: 'damaged' });
        else waiter.damagedSeen = true;
      }
      return;
    }
    const { frame } = item;
    if (this.listenerCount('trace') > 0) {
      const text = receivedTraceText(frame, redactor);
      this.#trace({
        direction: 'rx',
        kind: frameKind(frame.type),
        id: frame.id,
        bytes: frame.payload.length + 14,
        text,
      });
    }
    if (frame.type === FrameType.event) {
      const event = BootEvent.safeParse(decodeJsonPayload(frame.payload));
      if (!event.success) return;
      this.emit('boot', event.data);
      this.#waiter?.settle({ type: 'boot', event: event.data });
      return;
    }
    if (frame.type === FrameType.reply && this.#waiter?.id === frame.id) {
      this.#waiter.settle({ type: 'reply', version: frame.version, payload: frame.payload });
    }
    // Anything else is a late reply to a request already given up, or noise: traced, not acted on.
  }

  /** The port is gone or closed: the waiting request and every later one fail with `error`. */
  fail(error: SerialError): void {
    this.#failure ??= error;
    this.#waiter?.settle({ type: 'failed', error });
  }

  async hello(options: RequestOptions = {}): Promise<DeviceInfo> {
    const { reply, version } = await this.#request('hello', {}, options);
    const info: DeviceInfo = {
      ...reply,
      clockSkewMs: reply.clock.unix * 1000 - (this.#options.now ?? Date.now)(),
      version,
    };
    this.#info = info;
    return info;
  }

  /**
   * Writes credentials to the staging slot and proves the write: the device's fingerprint must
   * equal SHA-256 of key ":" secret computed here. The secret is registered with the redactor for
   * the duration, so a firmware that echoes it cannot leak it; callers that hold the secret longer
   * keep their own registration.
   */
  async stage(credentials: StageCredentials, options: RequestOptions = {}): Promise<StageResult> {
    const fields = {
      deviceId: credentials.deviceId,
      key: credentials.key,
      ...(credentials.keyId ? { keyId: credentials.keyId } : {}),
      secret: credentials.secret,
      apiUrl: credentials.apiUrl,
      ...(credentials.mqttUrl ? { mqtt: { url: credentials.mqttUrl } } : {}),
    };
    const checked = StageRequest.safeParse({ op: 'stage', ...fields });
    if (!checked.success) {
      const field = String(checked.error.issues[0]?.path[0] ?? 'credentials');
      throw new SerialError(
        'SERIAL_INVALID_REQUEST',
        `Cannot stage on ${this.portName}: the field "${field}" is not valid for a device (docs/serial-protocol.md §4).`,
        { port: this.portName, op: 'stage' },
      );
    }
    const release = this.#options.redactor.add(credentials.secret);
    try {
      const { reply } = await this.#request('stage', fields, options);
      const expected = fingerprint(credentials.key, credentials.secret);
      if (reply.fp !== expected) {
        throw new SerialError(
          'SERIAL_FINGERPRINT_MISMATCH',
          `${this.portName}: the device stored credentials whose fingerprint (${reply.fp.slice(0, 16)}…) differs from what was sent (${expected.slice(0, 16)}…). Stage again; if it repeats, the firmware computes the fingerprint wrongly.`,
          { port: this.portName, op: 'stage' },
        );
      }
      return { fingerprint: reply.fp, slots: reply.slots };
    } finally {
      release();
    }
  }

  async test(slot: TestSlot, nonce: string, options: RequestOptions = {}): Promise<TestReport> {
    const { reply } = await this.#request('test', { slot, nonce }, options);
    return classifyTest(reply as TestReply);
  }

  async commit(options: RequestOptions = {}): Promise<Slots> {
    return (await this.#request('commit', {}, options)).reply.slots;
  }

  async confirm(options: RequestOptions = {}): Promise<Slots> {
    return (await this.#request('confirm', {}, options)).reply.slots;
  }

  async rollback(options: RequestOptions = {}): Promise<Slots> {
    return (await this.#request('rollback', {}, options)).reply.slots;
  }

  async discard(options: RequestOptions = {}): Promise<Slots> {
    return (await this.#request('discard', {}, options)).reply.slots;
  }

  /** Erases every credential; `hwid` must be the unit's own (from `hello`). */
  async wipe(hwid: string, options: RequestOptions = {}): Promise<Slots> {
    return (await this.#request('wipe', { hwid }, options)).reply.slots;
  }

  async identify(seconds = 10, options: RequestOptions = {}): Promise<void> {
    await this.#request('identify', { seconds }, options);
  }

  async log(query: { lines?: number; level?: LogLevel } = {}, options: RequestOptions = {}): Promise<LogReply> {
    const { reply } = await this.#request('log', query, options);
    return { ...reply, lines: reply.lines.map((line) => this.#options.redactor.redact(line)) };
  }

  async reboot(delayMs = 100, options: RequestOptions = {}): Promise<void> {
    await this.#request('reboot', { delayMs }, options);
  }

  /** Resolves with the next `boot` event (after a reboot or a reset), or rejects on timeout. */
  waitForBoot(options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<BootEvent> {
    const signal = combine(options.signal, AbortSignal.timeout(options.timeoutMs ?? 10000));
    return new Promise((resolve, reject) => {
      const done = () => {
        this.off('boot', onBoot);
        signal.removeEventListener('abort', onAbort);
      };
      const onBoot = (event: BootEvent) => {
        done();
        resolve(event);
      };
      const onAbort = () => {
        done();
        reject(
          options.signal?.aborted
            ? new SerialError('SERIAL_ABORTED', `${this.portName}: stopped waiting for the device to start.`, {
                port: this.portName,
              })
            : new SerialError(
                'SERIAL_TIMEOUT',
                `${this.portName}: the device did not announce a start. Check its power and firmware.`,
                { port: this.portName },
              ),
        );
      };
      if (signal.aborted) return onAbort();
      this.on('boot', onBoot);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Sends one request and returns its validated reply; serialised with every other request. */
  #request<O extends Operation>(
    op: O,
    fields: Record<string, unknown>,
    options: RequestOptions,
  ): Promise<{ reply: z.output<(typeof REPLY_SCHEMAS)[O]>; version: number }> {
    const run = this.#queue.then(() => this.#execute(op, fields, options));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #execute<O extends Operation>(
    op: O,
    fields: Record<string, unknown>,
    options: RequestOptions,
  ): Promise<{ reply: z.output<(typeof REPLY_SCHEMAS)[O]>; version: number }> {
    const spec = OPERATION_SPECS[op];
    const details = { port: this.portName, op };
    if (this.#failure) throw this.#failure;
    if (options.signal?.aborted)
      throw new SerialError('SERIAL_ABORTED', `${this.portName}: "${op}" was cancelled.`, details);
    const capability = OPTIONAL_OPERATIONS[op];
    if (capability && this.#info && !this.#info.caps.includes(capability)) {
      throw new SerialError(
        'SERIAL_NOT_SUPPORTED',
        `${this.portName}: this device (${this.#info.model}, firmware ${this.#info.fw}) does not offer "${op}".`,
        details,
      );
    }
    const body = { op, ...fields };
    const payload = encodeJsonPayload(body);
    const limit = this.#info?.maxPayload ?? MAX_PAYLOAD;
    if (payload.length > limit) {
      throw new SerialError(
        'SERIAL_TOO_LARGE',
        `${this.portName}: the "${op}" request (${payload.length} bytes) is larger than the device accepts (${limit}).`,
        details,
      );
    }
    const id = this.#takeId();
    const frame = encodeFrame({ version: PROTOCOL_VERSION, type: FrameType.request, id, payload });
    // Built only when someone listens: redacting every request's JSON was 5% of a 32-lane station's CPU.
    let traceText: string | undefined;
    const timeoutMs =
      (this.#options.timeouts?.[op] ?? spec.timeoutMs) +
      (replyTimeoutMs(op, frame.length, this.#baudRate) - spec.timeoutMs);
    const attempts = 1 + (spec.idempotent ? (this.#options.retries ?? 2) : 0);

    let last: SerialError | undefined;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const started = performance.now();
      if (this.listenerCount('trace') > 0) {
        traceText ??= requestTraceText(body, this.#options.redactor);
        this.#trace({ direction: 'tx', kind: 'request', id, op, bytes: frame.length, text: traceText });
      }
      const outcome = await this.#attempt(id, frame, timeoutMs, options.signal);
      if (outcome.type === 'reply') {
        this.#traceTiming(id, op, performance.now() - started);
        return this.#interpret(op, outcome.version, outcome.payload);
      }
      last = this.#outcomeError(op, outcome, timeoutMs, !spec.idempotent);
      const retryable = outcome.type === 'damaged' || outcome.type === 'timeout' || outcome.type === 'boot';
      if (!retryable) break;
    }
    throw last!;
  }

  #attempt(id: number, frame: Uint8Array, timeoutMs: number, signal: AbortSignal | undefined): Promise<Outcome> {
    return new Promise<Outcome>((resolve) => {
      const timeout = AbortSignal.timeout(timeoutMs);
      let presence: NodeJS.Timeout | undefined;
      const waiter: Waiter = {
        id,
        damagedSeen: false,
        settle: (outcome) => {
          if (this.#waiter !== waiter) return;
          this.#waiter = undefined;
          timeout.removeEventListener('abort', onTimeout);
          signal?.removeEventListener('abort', onAbort);
          if (presence) clearInterval(presence);
          resolve(outcome);
        },
      };
      const onTimeout = () => waiter.settle({ type: 'timeout', damagedSeen: waiter.damagedSeen });
      const onAbort = () => waiter.settle({ type: 'aborted' });
      this.#waiter = waiter;
      timeout.addEventListener('abort', onTimeout, { once: true });
      signal?.addEventListener('abort', onAbort, { once: true });
      if (this.#failure) return waiter.settle({ type: 'failed', error: this.#failure });
      const isPresent = this.#options.isPresent;
      if (isPresent) {
        presence = setInterval(() => {
          void isPresent().then(
            (present) => {
              if (!present) this.fail(this.#goneError());
            },
            () => undefined,
          );
        }, this.#options.presenceIntervalMs ?? 250);
      }
      this.#options.write(frame).catch((error: unknown) => {
        const failure =
          error instanceof SerialError
            ? error
            : new SerialError('SERIAL_PORT_CLOSED', `${this.portName}: could not write to the port.`, {
                port: this.portName,
                cause: error,
              });
        waiter.settle({ type: 'failed', error: failure });
      });
    });
  }

  #goneError(): SerialError {
    return new SerialError(
      'SERIAL_DEVICE_GONE',
      `${this.portName} disappeared: the device was unplugged or its USB adapter reset. Plug it back in; the station will ask the device what it holds before going on.`,
      { port: this.portName },
    );
  }

  #outcomeError(op: Operation, outcome: Exclude<Outcome, { type: 'reply' }>, timeoutMs: number, changes: boolean) {
    const details = { port: this.portName, op, outcomeUnknown: changes };
    const unsure = changes ? ' It may or may not have been done: ask the device (hello) before going on.' : '';
    const make = (code: SerialErrorCode, message: string) => new SerialError(code, message + unsure, details);
    switch (outcome.type) {
      case 'damaged':
        return make(
          'SERIAL_CRC',
          `${this.portName}: the answer to "${op}" arrived damaged (CRC mismatch). Check the USB cable and adapter, and that the baud rate is ${this.#baudRate}.`,
        );
      case 'timeout':
        return outcome.damagedSeen
          ? make(
              'SERIAL_CRC',
              `${this.portName}: no intact answer to "${op}" within ${timeoutMs} ms; damaged frames arrived instead. Check the USB cable and adapter, and that the baud rate is ${this.#baudRate}.`,
            )
          : make(
              'SERIAL_TIMEOUT',
              `${this.portName}: no answer to "${op}" within ${timeoutMs} ms. Check that the device is powered and runs Keyline-compatible firmware at ${this.#baudRate} baud.`,
            );
      case 'boot':
        return make(
          'SERIAL_DEVICE_RESET',
          `${this.portName}: the device restarted (${outcome.event.reason}) during "${op}". Check its power supply if this repeats.`,
        );
      case 'aborted':
        return make('SERIAL_ABORTED', `${this.portName}: "${op}" was cancelled.`);
      case 'failed': {
        const error = outcome.error;
        return new SerialError(error.code, `${error.message}${unsure}`, { ...details, cause: error.cause });
      }
    }
  }

  #interpret<O extends Operation>(
    op: O,
    version: number,
    payload: Uint8Array,
  ): { reply: z.output<(typeof REPLY_SCHEMAS)[O]>; version: number } {
    const details = { port: this.portName, op };
    const body = decodeJsonPayload(payload);
    if (version !== PROTOCOL_VERSION) {
      const refusal = ErrorReply.safeParse(body);
      const supported = refusal.success ? refusal.data.supported : undefined;
      const spoken = supported && supported.length > 0 ? supported.join(', ') : String(version);
      throw new SerialError(
        'SERIAL_PROTOCOL_UNSUPPORTED',
        `${this.portName}: the device speaks serial protocol version ${spoken}; this station speaks version ${PROTOCOL_VERSION}. Update the device firmware (or the station).`,
        { ...details, deviceVersion: version },
      );
    }
    if (!body) {
      throw new SerialError(
        'SERIAL_BAD_REPLY',
        `${this.portName}: the answer to "${op}" is not a JSON object.`,
        details,
      );
    }
    if (body['ok'] === false) {
      const refusal = ErrorReply.safeParse(body);
      if (!refusal.success) {
        throw new SerialError(
          'SERIAL_BAD_REPLY',
          `${this.portName}: the device's error answer to "${op}" is malformed.`,
          details,
        );
      }
      // Everything in a refusal is the device's own text: printable, redacted and bounded before use.
      const code = escapeControls(refusal.data.error.code);
      const field = refusal.data.error.field === undefined ? undefined : escapeControls(refusal.data.error.field);
      const message = escapeControls(refusal.data.error.message);
      if (code === 'VERSION_UNSUPPORTED') {
        throw new SerialError(
          'SERIAL_PROTOCOL_UNSUPPORTED',
          `${this.portName}: the device does not speak serial protocol version ${PROTOCOL_VERSION} (it speaks ${refusal.data.supported?.join(', ') ?? 'another'}). Update the device firmware.`,
          { ...details, deviceVersion: refusal.data.supported?.[0] },
        );
      }
      const known = Object.hasOwn(DEVICE_ERROR_ADVICE, code)
        ? DEVICE_ERROR_ADVICE[code]!
        : DEVICE_ERROR_ADVICE['INTERNAL']!;
      const said = this.#options.redactor.redact(message).slice(0, 200);
      throw new SerialError(
        'SERIAL_DEVICE_ERROR',
        `${this.portName}: the device refused "${op}": ${code}${field ? ` (${field})` : ''}${said ? `, "${said}"` : ''}. ${known}`,
        { ...details, deviceCode: code },
      );
    }
    const parsed = REPLY_SCHEMAS[op].safeParse(body);
    if (!parsed.success) {
      const where = parsed.error.issues[0]?.path.join('.') || 'the answer';
      throw new SerialError(
        'SERIAL_BAD_REPLY',
        `${this.portName}: the device's answer to "${op}" does not follow the protocol (${where}).`,
        details,
      );
    }
    return { reply: parsed.data as z.output<(typeof REPLY_SCHEMAS)[O]>, version };
  }

  #takeId(): number {
    const id = this.#nextId;
    this.#nextId = (this.#nextId % 65535) + 1;
    return id;
  }

  #trace(entry: Omit<TraceEntry, 'time'>): void {
    if (this.listenerCount('trace') === 0) return;
    this.emit('trace', { time: stamp(), ...entry });
  }

  #traceTiming(id: number, op: string, ms: number): void {
    if (this.listenerCount('trace') === 0) return;
    this.emit('trace', {
      time: stamp(),
      direction: 'rx',
      kind: 'reply',
      id,
      op,
      bytes: 0,
      text: '',
      ms: Math.round(ms),
    });
  }
}

export function fingerprint(key: string, secret: string): string {
  return createHash('sha256').update(fingerprintInput(key, secret)).digest('hex');
}

function stamp(): string {
  return new Date().toISOString();
}

function combine(a: AbortSignal | undefined, b: AbortSignal): AbortSignal {
  return a ? AbortSignal.any([a, b]) : b;
}
