/**
 * Knows every secret the station currently holds and replaces each of them, in every encoding
 * firmware or a library might print (raw, hex, base64, base64url), wherever text leaves main:
 * log lines, device log lines, errors, traces. A secret is registered the moment it arrives
 * (minted key, refresh token, pasted token) and released when the station lets go of it.
 */
export const REDACTED = '[REDACTED]';

/** Shorter strings would redact ordinary words; real secrets are far longer. */
const MIN_SECRET_LENGTH = 8;

function encodings(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const forms = new Set<string>([
    secret,
    bytes.toString('hex'),
    bytes.toString('hex').toUpperCase(),
    bytes.toString('base64'),
    bytes.toString('base64').replace(/=+$/, ''),
    bytes.toString('base64url'),
  ]);
  return [...forms].filter((form) => form.length >= MIN_SECRET_LENGTH);
}

/** A part of a secret this short, at the edge of a cut piece, could be anything; longer ones are masked. */
const MIN_PARTIAL_LENGTH = 6;

/** Length of the longest end of `text` that is a proper beginning of `form` (0 when none). */
function longestSuffixThatStarts(text: string, form: string): number {
  const from = Math.max(0, text.length - form.length + 1);
  for (let at = text.indexOf(form[0]!, from); at !== -1; at = text.indexOf(form[0]!, at + 1)) {
    if (form.startsWith(text.slice(at))) return text.length - at;
  }
  return 0;
}

/** Length of the longest beginning of `text` that is a proper end of `form` (0 when none). */
function longestPrefixThatEnds(text: string, form: string): number {
  for (let length = Math.min(text.length, form.length - 1); length > 0; length--) {
    if (form.endsWith(text.slice(0, length))) return length;
  }
  return 0;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

interface Held {
  count: number;
  /** The secret's encodings, computed once when it is registered. */
  forms: string[];
}

export class SecretRedactor {
  readonly #held = new Map<string, Held>();
  /** Every held form, longest first; rebuilt lazily after a secret comes or goes. */
  #forms: string[] | undefined;
  #pattern: RegExp | undefined;

  /** Registers a secret; returns a function that releases it (registrations are counted). */
  add(secret: string): () => void {
    if (secret.length < MIN_SECRET_LENGTH) return () => undefined;
    const held = this.#held.get(secret);
    if (held) held.count += 1;
    else {
      this.#held.set(secret, { count: 1, forms: encodings(secret) });
      this.#changed();
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const current = this.#held.get(secret);
      if (!current) return;
      current.count -= 1;
      if (current.count <= 0) {
        this.#held.delete(secret);
        this.#changed();
      }
    };
  }

  get size(): number {
    return this.#held.size;
  }

  redact(text: string): string {
    if (this.#held.size === 0 || text.length < MIN_SECRET_LENGTH) return text;
    this.#forms ??= this.#allForms();
    // Almost no text holds a secret, and secrets come and go with every run (one per lane): a
    // substring search answers "none here" without compiling the alternation of every held form,
    // which costs milliseconds each time the set changes (profiled at 32 lanes, docs/benchmarks.md).
    if (!this.#forms.some((form) => text.includes(form))) return text;
    this.#pattern ??= new RegExp(this.#forms.map(escapeRegExp).join('|'), 'g');
    return text.replace(this.#pattern, REDACTED);
  }

  /**
   * Redacts one piece of a longer text that was cut into pieces (a device log line cut at its
   * length limit, or flushed while the device paused): a secret that straddles the cut is in
   * neither piece whole, so its part at the cut edge is masked too. `start`: this piece continues
   * a cut piece; `end`: this piece is cut. Parts shorter than 6 characters are left as they are.
   */
  redactPiece(text: string, edges: { start: boolean; end: boolean }): string {
    let out = this.redact(text);
    if (this.#held.size === 0 || (!edges.start && !edges.end)) return out;
    for (const { forms } of this.#held.values()) {
      for (const form of forms) {
        if (edges.end) {
          const length = longestSuffixThatStarts(out, form);
          if (length >= MIN_PARTIAL_LENGTH) out = out.slice(0, out.length - length) + REDACTED;
        }
        if (edges.start) {
          const length = longestPrefixThatEnds(out, form);
          if (length >= MIN_PARTIAL_LENGTH) out = REDACTED + out.slice(length);
        }
      }
    }
    return out;
  }

  #changed(): void {
    this.#forms = undefined;
    this.#pattern = undefined;
  }

  #allForms(): string[] {
    const forms = [...this.#held.values()].flatMap((held) => held.forms);
    // Longest first, so a secret's base64 form is not half-replaced by a shorter overlapping form.
    return forms.sort((a, b) => b.length - a.length);
  }
}
