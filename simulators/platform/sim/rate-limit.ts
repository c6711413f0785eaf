import type { Clock } from '../model/clock';

/** A sliding-window counter per key (device id): `take` answers false once the window is full. */
export class RateLimiter {
  private readonly windows = new Map<string, number[]>();

  constructor(
    private readonly clock: Clock,
    private readonly limit: () => { reports: number; windowSeconds: number },
  ) {}

  take(key: string): boolean {
    const { reports, windowSeconds } = this.limit();
    const now = this.clock.now();
    const since = now - windowSeconds * 1000;
    const window = (this.windows.get(key) ?? []).filter((time) => time > since);
    if (window.length >= reports) {
      this.windows.set(key, window);
      return false;
    }
    window.push(now);
    this.windows.set(key, window);
    return true;
  }

  /** Whole seconds until `take(key)` can succeed again (at least 1). */
  retryAfterSeconds(key: string): number {
    const { reports, windowSeconds } = this.limit();
    const now = this.clock.now();
    const window = (this.windows.get(key) ?? []).filter((time) => time > now - windowSeconds * 1000);
    const oldest = window[window.length - reports];
    if (oldest === undefined) return 1;
    return Math.max(1, Math.ceil((oldest + windowSeconds * 1000 - now) / 1000));
  }

  clear(): void {
    this.windows.clear();
  }
}
