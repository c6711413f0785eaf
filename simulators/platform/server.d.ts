import { type Clock } from './model/clock';
import type { SimEvent } from './model/types';
import { type SeedInfo } from './seed/info';
import { type SeedSource } from './seed/load';
import { SettingsPatch } from './settings';
export interface PlatformSimulatorOptions extends SettingsPatch {
    /** TCP port; 0 (default) picks a free one. */
    port?: number;
    /** Address to listen on (default 127.0.0.1). */
    host?: string;
    /** Persist state and keys here (atomic writes); default in memory only. */
    dataDir?: string;
    /** `demo` (default), a path to a seed JSON file, or a seed object. Ignored when `dataDir` already holds state. */
    seed?: SeedSource;
    /** Base URL to announce (issuer, token audience); default `http://HOST:PORT`. */
    issuer?: string;
    /** Time source under the simulator clock (tests); default `Date.now`. */
    clock?: Clock;
}
export interface RunningPlatformSimulator {
    /** Base URL, e.g. `http://127.0.0.1:41234` (REST API, OAuth and `/__sim/` all live here). */
    readonly url: string;
    readonly host: string;
    readonly port: number;
    /** The seed as it was at start (same JSON as `GET /__sim/seed`). */
    readonly seed: SeedInfo;
    /** The seed now (tokens re-signed, devices that still exist). */
    getSeed(): Promise<SeedInfo>;
    /** Back to the seed: data, faults, rate limits and clock (`POST /__sim/reset`). */
    reset(): Promise<SeedInfo>;
    /** What happened so far (`GET /__sim/events`). */
    events(): SimEvent[];
    /** Changes settings at run time (`PATCH /__sim/settings`). */
    updateSettings(patch: SettingsPatch): void;
    /** Moves the simulator clock forward (`POST /__sim/clock`). */
    advanceClock(seconds: number): void;
    /** Stops listening, drops open connections and writes pending state. */
    close(): Promise<void>;
}
/**
 * Starts the platform simulator: the REST API of platform-api.md, its OAuth server and the sandbox
 * controls, on one HTTP server. Callers own the result and must `close()` it.
 */
export declare function startPlatformSimulator(options?: PlatformSimulatorOptions): Promise<RunningPlatformSimulator>;
