import { crc32 } from './crc32';
import { CRC_SIZE, type Frame, HEADER_SIZE, MAGIC0, MAGIC1, MAX_PAYLOAD, readHeader, readU32 } from './frame';

/** What the byte stream of one UART turned out to contain, in order. */
export type DecodedItem =
  | { kind: 'frame'; frame: Frame }
  /** A log line without its line ending. `cut`: it ended by length or idle time, not by a newline. */
  | { kind: 'line'; bytes: Uint8Array; cut: boolean }
  /** A frame whose header was sound but whose body was not: CRC mismatch or bytes missing. */
  | { kind: 'damaged'; reason: 'crc' | 'truncated'; version: number; type: number; id: number; length: number };

export interface StreamDecoderOptions {
  /** Largest payload accepted; a header announcing more is not a frame. */
  maxPayload?: number;
  /** Longest log line kept in one piece; longer lines are emitted in pieces (`cut: true`). */
  maxLine?: number;
}

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/**
 * Splits one UART byte stream into frames and log lines (docs/serial-protocol.md §2.3). Pure and
 * incremental: feed it chunks as they arrive, in any split. It never throws and never holds more
 * than one frame plus one log line, whatever the input. Time is the caller's: call `expire()` when
 * an incomplete frame has waited too long, and `flushLine()` when a partial line has sat idle.
 */
export class StreamDecoder {
  readonly #maxPayload: number;
  readonly #frame: Uint8Array;
  #frameLength = 0;
  #expected = 0;
  readonly #line: Uint8Array;
  #lineLength = 0;

  constructor(options: StreamDecoderOptions = {}) {
    this.#maxPayload = Math.min(options.maxPayload ?? MAX_PAYLOAD, MAX_PAYLOAD);
    this.#frame = new Uint8Array(HEADER_SIZE + this.#maxPayload + CRC_SIZE);
    this.#line = new Uint8Array(Math.max(16, options.maxLine ?? 1024));
  }

  /** Bytes held for an incomplete frame (0 when none) and the frame's full size once known. */
  get pending(): { bytes: number; expected: number } {
    return { bytes: this.#frameLength, expected: this.#expected };
  }

  get pendingLineBytes(): number {
    return this.#lineLength;
  }

  push(chunk: Uint8Array): DecodedItem[] {
    const out: DecodedItem[] = [];
    this.#feed([chunk], out);
    return out;
  }

  /** Gives up on an incomplete frame: reported as truncated, its bytes rescanned for a new start. */
  expire(): DecodedItem[] {
    const out: DecodedItem[] = [];
    if (this.#frameLength === 0) return out;
    const held = this.#frame.slice(0, this.#frameLength);
    this.#resetFrame();
    const header = readHeader(held, 0, this.#maxPayload);
    if (header) {
      out.push({ kind: 'damaged', reason: 'truncated', ...header });
      this.#feed([afterNextMagic(held)], out);
    } else {
      this.#text(held, 0, 1, out);
      this.#feed([held.subarray(1)], out);
    }
    return out;
  }

  /** Emits a partial log line that has sat without its newline. */
  flushLine(): DecodedItem[] {
    const out: DecodedItem[] = [];
    if (this.#lineLength > 0) this.#emitLine(out, true);
    return out;
  }

  #feed(queue: Uint8Array[], out: DecodedItem[]): void {
    while (queue.length > 0) {
      const data = queue.shift()!;
      let i = 0;
      while (i < data.length) {
        if (this.#frameLength === 0) {
          let next = data.indexOf(MAGIC0, i);
          if (next === -1) next = data.length;
          this.#text(data, i, next, out);
          i = next;
          if (i < data.length) {
            this.#frame[0] = MAGIC0;
            this.#frameLength = 1;
            i++;
          }
          continue;
        }
        if (this.#frameLength === 1) {
          if (data[i] !== MAGIC1) {
            // A lone 0xF5 is line noise; it stays in the log line it arrived in.
            this.#resetFrame();
            this.#text(Uint8Array.of(MAGIC0), 0, 1, out);
            continue;
          }
          this.#frame[this.#frameLength++] = MAGIC1;
          i++;
          continue;
        }
        if (this.#frameLength < HEADER_SIZE) {
          const take = Math.min(HEADER_SIZE - this.#frameLength, data.length - i);
          this.#frame.set(data.subarray(i, i + take), this.#frameLength);
          this.#frameLength += take;
          i += take;
          if (this.#frameLength < HEADER_SIZE) continue;
          const header = readHeader(this.#frame, 0, this.#maxPayload);
          if (!header) {
            // Not a frame after all: the 0xF5 was text, and the 9 bytes after it are rescanned.
            const rescan = this.#frame.slice(1, HEADER_SIZE);
            this.#resetFrame();
            this.#text(Uint8Array.of(MAGIC0), 0, 1, out);
            queue.unshift(rescan, data.subarray(i));
            break;
          }
          this.#expected = HEADER_SIZE + header.length + CRC_SIZE;
          continue;
        }
        const take = Math.min(this.#expected - this.#frameLength, data.length - i);
        this.#frame.set(data.subarray(i, i + take), this.#frameLength);
        this.#frameLength += take;
        i += take;
        if (this.#frameLength < this.#expected) continue;
        const complete = this.#complete(out);
        if (complete) {
          queue.unshift(complete, data.subarray(i));
          break;
        }
      }
    }
  }

  /** Checks a complete frame; returns bytes to rescan when it was damaged. */
  #complete(out: DecodedItem[]): Uint8Array | undefined {
    const header = readHeader(this.#frame, 0, this.#maxPayload)!;
    const bodyEnd = HEADER_SIZE + header.length;
    const ok = crc32(this.#frame, 0, bodyEnd) === readU32(this.#frame, bodyEnd);
    const held = this.#frame.slice(0, this.#frameLength);
    this.#resetFrame();
    if (ok) {
      const { version, type, id } = header;
      out.push({
        kind: 'frame',
        frame: { version, type: type as Frame['type'], id, payload: held.slice(HEADER_SIZE, bodyEnd) },
      });
      return undefined;
    }
    out.push({ kind: 'damaged', reason: 'crc', ...header });
    // Bytes were lost or flipped: a real frame may have started inside what this one swallowed.
    return afterNextMagic(held);
  }

  #resetFrame(): void {
    this.#frameLength = 0;
    this.#expected = 0;
  }

  #text(data: Uint8Array, start: number, end: number, out: DecodedItem[]): void {
    let i = start;
    while (i < end) {
      let newline = data.indexOf(NEWLINE, i);
      if (newline === -1 || newline >= end) newline = -1;
      const stop = newline === -1 ? end : newline;
      while (i < stop) {
        const take = Math.min(stop - i, this.#line.length - this.#lineLength);
        this.#line.set(data.subarray(i, i + take), this.#lineLength);
        this.#lineLength += take;
        i += take;
        if (this.#lineLength === this.#line.length) this.#emitLine(out, true);
      }
      if (newline !== -1) {
        this.#emitLine(out, false);
        i = newline + 1;
      }
    }
  }

  #emitLine(out: DecodedItem[], cut: boolean): void {
    let length = this.#lineLength;
    while (length > 0 && this.#line[length - 1] === CARRIAGE_RETURN) length--;
    this.#lineLength = 0;
    if (length > 0) out.push({ kind: 'line', bytes: this.#line.slice(0, length), cut });
  }
}

/** The held bytes from the first magic byte after position 0, or nothing if there is none. */
function afterNextMagic(held: Uint8Array): Uint8Array {
  const next = held.indexOf(MAGIC0, 1);
  return next === -1 ? new Uint8Array(0) : held.subarray(next);
}
