/**
 * The simulator's clock. Everything the simulator decides by time (API token expiry, OAuth access
 * token expiry on the REST API, pending OAuth tokens, rate-limit windows) reads it, so that tests can
 * move time forward through `/__sim/clock` instead of waiting. oidc-provider keeps real time.
 */
export interface Clock {
  now(): number;
}

export class SimClock implements Clock {
  private offsetMs = 0;

  constructor(private readonly base: Clock = { now: () => Date.now() }) {}

  now(): number {
    return this.base.now() + this.offsetMs;
  }

  nowIso(): string {
    return new Date(this.now()).toISOString();
  }

  advance(seconds: number): void {
    this.offsetMs += seconds * 1000;
  }

  get offsetSeconds(): number {
    return this.offsetMs / 1000;
  }

  reset(): void {
    this.offsetMs = 0;
  }
}
