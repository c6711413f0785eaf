import { SeedSpec, type SeedSpecInput } from './spec';
/** `demo` (the built-in factory), a path to a JSON seed file, or a seed object. */
export type SeedSource = 'demo' | string | SeedSpecInput;
export declare function loadSeedSpec(source: SeedSource): Promise<SeedSpec>;
