import { Transform, type TransformCallback } from 'node:stream';
import {
  DEFAULT_BAUD_RATE,
  type DecodedItem,
  type Frame,
  HEADER_SIZE,
  CRC_SIZE,
  StreamDecoder,
  wireTimeMs,
} from '../../common/serial';

/** What one UART carried, in order: frames, the device's log lines, and frames that arrived damaged. */
export type SerialItem =
  | { kind: 'frame'; frame: Frame }
  /** A device log line, decoded and with control characters escaped. Not yet redacted. */
  | { kind: 'line'; text: string; cut: boolean }
  | { kind: 'damaged'; reason: 'crc' | 'truncated'; version: number; type: number; id: number; length: number };

export interface FrameParserOptions {
  /** Line speed: sets how long an incomplete frame may take to arrive (docs §2.3 step 5). */
  baudRate?: number;
  maxPayload?: number;
  maxLine?: number;
  /** A partial log line is emitted after this long without a byte. */
  lineIdleMs?: number;
  /** Extra grace on top of twice the wire time before an incomplete frame is given up. */
  frameGraceMs?: number;
  /**
   * A stall timer that fires later than this means the station itself was not running (a busy
   * event loop, a starved CPU) and may not have read bytes already waiting for it (default 20).
   */
  lateTimerMs?: number;
}

/**
 * How long the station listens again after a late stall timer before it judges the frame. Not
 * shorter: after a stall the port's read still has to come back from libuv's thread pool, which
 * other work of the same process may be holding (seen failing at 20 ms under a full test run).
 */
const LISTEN_AGAIN_MS = 100;
/** A station late again and again still gives up on a frame within this much extra time. */
const MAX_STALL_CREDIT_MS = 2000;

const decoder = new TextDecoder('utf-8');

/** Device text is shown in terminals and in the window: escape anything that could steer them. */
export function sanitizeLine(bytes: Uint8Array): string {
  return escapeControls(decoder.decode(bytes));
}

/**
 * Escapes C0 and C1 controls (tab kept) and the bidirectional overrides: a terminal escape can
 * clear a screen or retitle a window, and an override can make "FAILED" read as something else.
 */
export function escapeControls(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.charCodeAt(0);
    const control =
      (code < 0x20 && code !== 0x09) ||
      (code >= 0x7f && code <= 0x9f) ||
      (code >= 0x202a && code <= 0x202e) ||
      (code >= 0x2066 && code <= 0x2069);
    out += control ? (code > 0xff ? `\\u${code.toString(16)}` : `\\x${code.toString(16).padStart(2, '0')}`) : char;
  }
  return out;
}

/**
 * A `serialport`-style parser: pipe the port into it and read `SerialItem` objects. Built on the
 * shared `StreamDecoder`, plus the two timers the decoder leaves to its owner: an incomplete frame
 * expires after twice its wire time plus a grace period, and a partial log line is flushed when
 * the device goes quiet. It never throws on input and holds at most one frame and one line.
 */
export class FrameParser extends Transform {
  readonly #decoder: StreamDecoder;
  readonly #baudRate: number;
  readonly #lineIdleMs: number;
  readonly #frameGraceMs: number;
  readonly #lateTimerMs: number;
  #timer: NodeJS.Timeout | undefined;
  /** When the armed timer should fire, to tell how late it was. */
  #timerDueAt = 0;
  #frameStartedAt = 0;
  /** Time the station did not run while a frame was incomplete: it does not count as a stall. */
  #frameCreditMs = 0;
  #lastByteAt = 0;

  constructor(options: FrameParserOptions = {}) {
    super({ readableObjectMode: true });
    this.#decoder = new StreamDecoder({ maxPayload: options.maxPayload, maxLine: options.maxLine });
    this.#baudRate = options.baudRate ?? DEFAULT_BAUD_RATE;
    this.#lineIdleMs = options.lineIdleMs ?? 500;
    this.#frameGraceMs = options.frameGraceMs ?? 100;
    this.#lateTimerMs = options.lateTimerMs ?? 20;
  }

  override _transform(chunk: unknown, _encoding: BufferEncoding, callback: TransformCallback): void {
    const bytes =
      chunk instanceof Uint8Array ? chunk : typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : undefined;
    if (bytes) {
      const hadFrame = this.#decoder.pending.bytes > 0;
      const now = performance.now();
      this.#lastByteAt = now;
      const items = this.#decoder.push(bytes);
      // A frame that started in this chunk (or a new one after a completed frame) starts its clock now.
      if (this.#decoder.pending.bytes > 0 && (!hadFrame || items.length > 0)) this.#startFrameClock(now);
      this.#emit(items);
    }
    this.#arm();
    callback();
  }

  override _flush(callback: TransformCallback): void {
    this.#clear();
    this.#emit(this.#decoder.expire());
    this.#emit(this.#decoder.flushLine());
    callback();
  }

  override _destroy(error: Error | null, callback: (error: Error | null) => void): void {
    this.#clear();
    callback(error);
  }

  #emit(items: DecodedItem[]): void {
    for (const item of items) {
      if (item.kind === 'line') this.push({ kind: 'line', text: sanitizeLine(item.bytes), cut: item.cut });
      else this.push(item);
    }
  }

  #frameDeadline(): number | undefined {
    const pending = this.#decoder.pending;
    if (pending.bytes === 0) return undefined;
    const size = pending.expected || HEADER_SIZE + CRC_SIZE;
    return this.#frameStartedAt + this.#frameCreditMs + this.#frameGraceMs + 2 * wireTimeMs(size, this.#baudRate);
  }

  #startFrameClock(now: number): void {
    this.#frameStartedAt = now;
    this.#frameCreditMs = 0;
  }

  #arm(): void {
    this.#clear();
    const frame = this.#frameDeadline();
    const line = this.#decoder.pendingLineBytes > 0 ? this.#lastByteAt + this.#lineIdleMs : undefined;
    const next = Math.min(frame ?? Infinity, line ?? Infinity);
    if (next === Infinity) return;
    const now = performance.now();
    this.#timerDueAt = Math.max(now, next);
    this.#timer = setTimeout(() => this.#onTimer(), this.#timerDueAt - now);
    this.#timer.unref();
  }

  #onTimer(): void {
    this.#timer = undefined;
    const now = performance.now();
    const late = now - this.#timerDueAt;
    const frame = this.#frameDeadline();
    if (frame !== undefined && now >= frame) {
      if (late > this.#lateTimerMs && this.#frameCreditMs < MAX_STALL_CREDIT_MS) {
        // The timer is late, so this process was not running: the rest of the frame may be in the
        // kernel's buffer, unread, and timers run before reads. Time the station did not listen
        // does not count against the line; listen again briefly before judging it.
        this.#frameCreditMs += now - frame + LISTEN_AGAIN_MS;
      } else {
        this.#emit(this.#decoder.expire());
        if (this.#decoder.pending.bytes > 0) this.#startFrameClock(now);
      }
    }
    if (this.#decoder.pendingLineBytes > 0 && now >= this.#lastByteAt + this.#lineIdleMs) {
      this.#emit(this.#decoder.flushLine());
    }
    this.#arm();
  }

  #clear(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
