import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimContext } from '../context';
import type { SeedInfo } from '../seed/info';
import { type Faults } from './faults';
/** What the sandbox controls act on. */
export interface SimRuntime {
    ctx: SimContext;
    faults: Faults;
    seed(): Promise<SeedInfo>;
    reset(): Promise<SeedInfo>;
}
/**
 * `/__sim/...`: sandbox controls for tests and the embedded sandbox, refused unless the caller is on
 * this machine and addressed the server by a loopback name (against DNS rebinding).
 */
export declare function handleControl(runtime: SimRuntime, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void>;
