/**
 * The simulator's clock. Everything the simulator decides by time (API token expiry, OAuth access
 * token expiry on the REST API, pending OAuth tokens, rate-limit windows) reads it, so that tests can
 * move time forward through `/__sim/clock` instead of waiting. oidc-provider keeps real time.
 */
export interface Clock {
    now(): number;
}
export declare class SimClock implements Clock {
    private readonly base;
    private offsetMs;
    constructor(base?: Clock);
    now(): number;
    nowIso(): string;
    advance(seconds: number): void;
    get offsetSeconds(): number;
    reset(): void;
}
