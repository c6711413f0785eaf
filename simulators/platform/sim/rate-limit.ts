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

  clear(): void {
    this.windows.clear();
  }
}
