/**
 * Tells a barcode scanner from a person at the keyboard: a scanner "types" a whole code in a few
 * milliseconds per key and ends it with Enter. Keys typed slowly are a person (shortcuts, Tab);
 * they are never taken for a scan.
 */
export interface ScanBufferOptions {
  /** Longest gap between two keys of one scan (ms). */
  maxGapMs?: number;
  /** Shortest scan that counts. */
  minLength?: number;
}

export class ScanBuffer {
  readonly #maxGap: number;
  readonly #minLength: number;
  #text = '';
  #last = 0;

  constructor(options: ScanBufferOptions = {}) {
    this.#maxGap = options.maxGapMs ?? 50;
    this.#minLength = options.minLength ?? 3;
  }

  /** A printable key. */
  key(char: string, time: number): void {
    if (this.#text && time - this.#last > this.#maxGap) this.#text = '';
    this.#text += char;
    this.#last = time;
  }

  /** Enter: the scan, when the keys before it came as fast as a scanner sends them. */
  enter(time: number): string | undefined {
    const text = this.#text;
    const fresh = time - this.#last <= this.#maxGap;
    this.#text = '';
    return fresh && text.length >= this.#minLength ? text : undefined;
  }

  get pending(): boolean {
    return this.#text.length > 0;
  }
}
