import { z } from 'zod';

/**
 * Injected faults (`POST /__sim/faults`): for the next `times` calls whose method and path match,
 * wait `latencyMs`, then answer `status` (with a `{type, message}` body) or drop the connection, or
 * carry on normally after the delay when neither is given. Paths are globs: `*` within one segment,
 * `**` across segments. OAuth endpoints can be faulted like any other.
 */
export const FaultSpec = z
  .strictObject({
    method: z
      .string()
      .regex(/^[A-Za-z]+$/)
      .transform((method) => method.toUpperCase())
      .optional(),
    path: z.string().startsWith('/'),
    latencyMs: z.number().int().min(0).max(120_000).optional(),
    status: z.number().int().min(400).max(599).optional(),
    body: z.strictObject({ type: z.string(), message: z.string() }).optional(),
    drop: z.boolean().optional(),
    times: z.number().int().min(1).max(1_000_000).default(1),
  })
  .refine((spec) => !(spec.drop && spec.status), 'a fault either drops the connection or answers a status');
export type FaultSpec = z.output<typeof FaultSpec>;

export interface ActiveFault extends FaultSpec {
  id: number;
  remaining: number;
  matched: number;
}

function pathPattern(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i] as string;
    if (char === '*' && glob[i + 1] === '*') {
      source += '.*';
      i++;
    } else if (char === '*') {
      source += '[^/]*';
    } else {
      source += char.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`);
}

export class Faults {
  private nextId = 1;
  private active: (ActiveFault & { pattern: RegExp })[] = [];

  add(spec: FaultSpec): ActiveFault {
    const fault = { ...spec, id: this.nextId++, remaining: spec.times, matched: 0, pattern: pathPattern(spec.path) };
    this.active.push(fault);
    return this.describe(fault);
  }

  /** The first fault matching this call, counted as used. */
  take(method: string, path: string): ActiveFault | undefined {
    const fault = this.active.find(
      (candidate) => (!candidate.method || candidate.method === method) && candidate.pattern.test(path),
    );
    if (!fault) return undefined;
    fault.remaining -= 1;
    fault.matched += 1;
    if (fault.remaining <= 0) this.active = this.active.filter((candidate) => candidate !== fault);
    return this.describe(fault);
  }

  list(): ActiveFault[] {
    return this.active.map((fault) => this.describe(fault));
  }

  clear(): void {
    this.active = [];
  }

  private describe(fault: ActiveFault & { pattern: RegExp }): ActiveFault {
    const { pattern: _pattern, ...rest } = fault;
    return { ...rest };
  }
}
