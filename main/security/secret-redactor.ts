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

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export class SecretRedactor {
  readonly #counts = new Map<string, number>();
  #pattern: RegExp | undefined;

  /** Registers a secret; returns a function that releases it (registrations are counted). */
  add(secret: string): () => void {
    if (secret.length < MIN_SECRET_LENGTH) return () => undefined;
    this.#counts.set(secret, (this.#counts.get(secret) ?? 0) + 1);
    this.#pattern = undefined;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const count = (this.#counts.get(secret) ?? 1) - 1;
      if (count <= 0) this.#counts.delete(secret);
      else this.#counts.set(secret, count);
      this.#pattern = undefined;
    };
  }

  get size(): number {
    return this.#counts.size;
  }

  redact(text: string): string {
    if (this.#counts.size === 0 || text.length === 0) return text;
    this.#pattern ??= this.#build();
    return text.replace(this.#pattern, REDACTED);
  }

  #build(): RegExp {
    const forms = [...this.#counts.keys()].flatMap(encodings);
    // Longest first, so a secret's base64 form is not half-replaced by a shorter overlapping form.
    forms.sort((a, b) => b.length - a.length);
    return new RegExp(forms.map(escapeRegExp).join('|'), 'g');
  }
}
