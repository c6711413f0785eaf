import type { Clock } from '../model/clock';
/** A sliding-window counter per key (device id): `take` answers false once the window is full. */
export declare class RateLimiter {
    private readonly clock;
    private readonly limit;
    private readonly windows;
    constructor(clock: Clock, limit: () => {
        reports: number;
        windowSeconds: number;
    });
    take(key: string): boolean;
    clear(): void;
}
