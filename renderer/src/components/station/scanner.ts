/**
 * Tells a barcode scanner from a person at the keyboard: a scanner "types" a whole code in a few
 * milliseconds per key and ends it with Enter. A person types a key every 100 ms or more; their
 * keys (shortcuts, Tab, a stray letter) are never taken for a scan. The test is the average gap
 * over the code, so one late key on a busy machine does not lose a scan.
 */
export interface ScanBufferOptions {
  /** Longest average gap between the keys of one scan (ms). */
  maxAverageGapMs?: number;
  /** A pause this long starts over: what came before was not part of the scan. */
  breakMs?: number;
  /** Shortest scan that counts. */
  minLength?: number;
}

export class ScanBuffer {
  readonly #maxAverage: number;
  readonly #break: number;
  readonly #minLength: number;
  #text = '';
  #first = 0;
  #last = 0;

  constructor(options: ScanBufferOptions = {}) {
    this.#maxAverage = options.maxAverageGapMs ?? 40;
    this.#break = options.breakMs ?? 300;
    this.#minLength = options.minLength ?? 3;
  }

  /** A printable key. */
  key(char: string, time: number): void {
    if (!this.#text || time - this.#last > this.#break) {
      this.#text = '';
      this.#first = time;
    }
    this.#text += char;
    this.#last = time;
  }

  /** Enter: the scan, when the keys before it came as fast as a scanner sends them. */
  enter(time: number): string | undefined {
    const text = this.#text;
    this.#text = '';
    if (text.length < this.#minLength || time - this.#last > this.#break) return undefined;
    const average = (time - this.#first) / text.length;
    return average <= this.#maxAverage ? text : undefined;
  }

  get pending(): boolean {
    return this.#text.length > 0;
  }
}
