import { z } from 'zod';
/**
 * Injected faults (`POST /__sim/faults`): for the next `times` calls whose method and path match,
 * wait `latencyMs`, then answer `status` (with a `{type, message}` body) or drop the connection, or
 * carry on normally after the delay when neither is given. Paths are globs: `*` within one segment,
 * `**` across segments. OAuth endpoints can be faulted like any other.
 */
export declare const FaultSpec: z.ZodObject<{
    method: z.ZodOptional<z.ZodPipe<z.ZodString, z.ZodTransform<string, string>>>;
    path: z.ZodString;
    latencyMs: z.ZodOptional<z.ZodNumber>;
    status: z.ZodOptional<z.ZodNumber>;
    body: z.ZodOptional<z.ZodObject<{
        type: z.ZodString;
        message: z.ZodString;
    }, z.core.$strict>>;
    drop: z.ZodOptional<z.ZodBoolean>;
    times: z.ZodDefault<z.ZodNumber>;
}, z.core.$strict>;
export type FaultSpec = z.output<typeof FaultSpec>;
export interface ActiveFault extends FaultSpec {
    id: number;
    remaining: number;
    matched: number;
}
export declare class Faults {
    private nextId;
    private active;
    add(spec: FaultSpec): ActiveFault;
    /** The first fault matching this call, counted as used. */
    take(method: string, path: string): ActiveFault | undefined;
    list(): ActiveFault[];
    clear(): void;
    private describe;
}
