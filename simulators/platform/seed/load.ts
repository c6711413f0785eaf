import { readFile } from 'node:fs/promises';
import { DEMO_SEED } from './demo';
import { SeedSpec, type SeedSpecInput } from './spec';

/** `demo` (the built-in factory), a path to a JSON seed file, or a seed object. */
export type SeedSource = 'demo' | string | SeedSpecInput;

export async function loadSeedSpec(source: SeedSource): Promise<SeedSpec> {
  if (source === 'demo') return SeedSpec.parse(DEMO_SEED);
  if (typeof source === 'string') {
    let raw: unknown;
    try {
      raw = JSON.parse(await readFile(source, 'utf8'));
    } catch (error) {
      throw new Error(`cannot read seed file ${source}: ${(error as Error).message}`, { cause: error });
    }
    const parsed = SeedSpec.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`seed file ${source} is not valid: ${issue?.path.join('.')} ${issue?.message}`);
    }
    return parsed.data;
  }
  return SeedSpec.parse(source);
}
