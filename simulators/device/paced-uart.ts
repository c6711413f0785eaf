/**
 * Wire time for a pseudo-terminal, which has none: bytes the firmware sends leave at the line
 * rate (8N1: 10 bit times per byte), and bytes the station sends reach the firmware only once
 * they would have crossed the wire. Without this, benchmarks over ptys would measure nothing real.
 */
const wireMs = (bytes: number, baudRate: number) => (bytes * 10 * 1000) / baudRate;

export interface PacedOutputOptions {
  baudRate: number;
  /** Receives each slice when its last byte would have arrived. */
  sink: (bytes: Uint8Array) => void;
  /** True when the far end is not reading (nobody has the station's end open): output is lost, as on a real UART. */
  blocked?: () => boolean;
}

interface Pending {
  bytes: Uint8Array;
  /** Leaves in one piece (a frame): see `write`. */
  whole: boolean;
}

export class PacedOutput {
  readonly #options: PacedOutputOptions;
  readonly #slice: number;
  #queue: Pending[] = [];
  #wireFreeAt = 0;
  #timer: NodeJS.Timeout | undefined;
  #idle: Array<() => void> = [];

  constructor(options: PacedOutputOptions) {
    this.#options = options;
    // About 4 ms of wire per slice: fine-grained enough for timing, coarse enough for timers.
    this.#slice = Math.max(1, Math.round(options.baudRate / 10 / 250));
  }

  /**
   * Queues bytes for the wire. `whole`: they reach the sink in one piece when their last byte
   * would have left, as a frame leaves a real UART's FIFO without a pause. Sliced output is paced
   * by timers, and a stalled simulator (garbage collection, a busy CPU) would put a pause in the
   * middle of a frame that no device makes, long enough for the station to call it truncated.
   */
  write(bytes: Uint8Array, options: { whole?: boolean } = {}): void {
    if (bytes.length === 0) return;
    if (this.#options.blocked?.()) return;
    // An idle line starts sending now; a busy one queues behind what is already on the wire.
    if (this.#queue.length === 0) this.#wireFreeAt = Math.max(this.#wireFreeAt, performance.now());
    this.#queue.push({ bytes, whole: options.whole ?? false });
    if (!this.#timer) this.#pump();
  }

  /** Resolves once everything written so far has left. */
  drained(): Promise<void> {
    if (this.#queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /** A reset: whatever had not left yet is lost. */
  reset(): void {
    this.#queue = [];
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#settleIdle();
  }

  #pump(): void {
    this.#timer = undefined;
    const now = performance.now();
    while (this.#queue.length > 0) {
      const head = this.#queue[0]!;
      const take = head.whole ? head.bytes.length : Math.min(head.bytes.length, this.#slice);
      const end = this.#wireFreeAt + wireMs(take, this.#options.baudRate);
      if (end > now + 0.5) {
        this.#timer = setTimeout(() => this.#pump(), end - now);
        return;
      }
      if (take === head.bytes.length) this.#queue.shift();
      else this.#queue[0] = { bytes: head.bytes.subarray(take), whole: false };
      this.#wireFreeAt = end;
      this.#options.sink(head.bytes.subarray(0, take));
    }
    this.#settleIdle();
  }

  #settleIdle(): void {
    const waiting = this.#idle;
    this.#idle = [];
    for (const resolve of waiting) resolve();
  }
}

export class PacedInput {
  readonly #baudRate: number;
  readonly #deliver: (bytes: Uint8Array) => void;
  #freeAt = 0;
  #timers = new Set<NodeJS.Timeout>();

  constructor(baudRate: number, deliver: (bytes: Uint8Array) => void) {
    this.#baudRate = baudRate;
    this.#deliver = deliver;
  }

  receive(bytes: Uint8Array): void {
    const now = performance.now();
    this.#freeAt = Math.max(now, this.#freeAt) + wireMs(bytes.length, this.#baudRate);
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      this.#deliver(bytes);
    }, this.#freeAt - now);
    this.#timers.add(timer);
  }

  /** A reset: bytes still on the wire are lost. */
  reset(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }
}
