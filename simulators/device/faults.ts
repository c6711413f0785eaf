import { isOperation, type Operation } from '../../common/serial';

/**
 * Faults the simulated firmware can show, set at start (`--faults SPEC`) or at run time (control
 * endpoint, `setFaults`). Conditions last until changed; the two reboot faults are events and
 * clear themselves once they fire.
 *
 * SPEC is a comma-separated list (docs/serial-protocol.md Appendix B):
 *   corrupt=P          each frame the device sends has one byte flipped with probability P (0..1)
 *   drop=P             each frame the device sends loses 1-8 bytes with probability P
 *   reboot-during=OPS  reset while executing one of OPS (`+`-separated, or `*`): a flash write in
 *                      progress is not applied; no reply. Once.
 *   reboot-after=OPS   reset after OPS took effect, before the reply leaves (a lost reply). Once.
 *   flash-fail[=OPS]   flash writes fail (during OPS only, if given): FLASH_WRITE_FAILED, no change
 *   no-network         `test` finds no network link
 *   wrong-clock        the clock is not set (year 2000): hello says so, `test` reports CLOCK_INVALID
 *   slow=MS            every reply waits MS more
 *   old-protocol       the firmware speaks protocol version 0 and refuses version 1
 *   leak-secrets       the firmware prints its credentials in its log (raw, hex and base64)
 *   mute               the firmware reads requests and never answers
 *   seed=N             seed of the random choices above (default: random)
 */
export interface Faults {
  corrupt: number;
  drop: number;
  rebootDuring: OperationSet;
  rebootAfter: OperationSet;
  flashFail: OperationSet;
  noNetwork: boolean;
  wrongClock: boolean;
  slowMs: number;
  oldProtocol: boolean;
  leakSecrets: boolean;
  mute: boolean;
  seed: number | undefined;
}

/** A set of operations, or every operation. */
export type OperationSet = ReadonlySet<Operation> | 'all';

export const NO_FAULTS: Faults = Object.freeze({
  corrupt: 0,
  drop: 0,
  rebootDuring: new Set<Operation>(),
  rebootAfter: new Set<Operation>(),
  flashFail: new Set<Operation>(),
  noNetwork: false,
  wrongClock: false,
  slowMs: 0,
  oldProtocol: false,
  leakSecrets: false,
  mute: false,
  seed: undefined,
});

export class FaultSpecError extends Error {}

export function includes(set: OperationSet, op: Operation): boolean {
  return set === 'all' || set.has(op);
}

function operations(value: string | undefined, name: string): OperationSet {
  if (value === undefined || value === '' || value === '*') return 'all';
  const ops = value.split('+').map((op) => op.trim());
  for (const op of ops) if (!isOperation(op)) throw new FaultSpecError(`${name}: unknown operation "${op}"`);
  return new Set(ops as Operation[]);
}

function probability(value: string | undefined, name: string): number {
  const p = Number(value ?? '1');
  if (!Number.isFinite(p) || p < 0 || p > 1) throw new FaultSpecError(`${name} wants a probability from 0 to 1`);
  return p;
}

function flag(value: string | undefined, name: string): boolean {
  if (value === undefined || value === 'on' || value === 'true' || value === '1') return true;
  if (value === 'off' || value === 'false' || value === '0') return false;
  throw new FaultSpecError(`${name} is on or off, not "${value}"`);
}

export function parseFaults(spec: string): Faults {
  const faults: Faults = { ...NO_FAULTS, rebootDuring: new Set(), rebootAfter: new Set(), flashFail: new Set() };
  for (const part of spec.split(',').map((item) => item.trim())) {
    if (part === '' || part === 'none') continue;
    const [name = '', value] = part.split('=', 2) as [string, string | undefined];
    switch (name) {
      case 'corrupt':
        faults.corrupt = probability(value, name);
        break;
      case 'drop':
        faults.drop = probability(value, name);
        break;
      case 'reboot-during':
        faults.rebootDuring = operations(value, name);
        break;
      case 'reboot-after':
        faults.rebootAfter = operations(value, name);
        break;
      case 'flash-fail':
        faults.flashFail = operations(value, name);
        break;
      case 'no-network':
        faults.noNetwork = flag(value, name);
        break;
      case 'wrong-clock':
        faults.wrongClock = flag(value, name);
        break;
      case 'slow': {
        const ms = Number(value);
        if (!Number.isInteger(ms) || ms < 0 || ms > 600000) throw new FaultSpecError('slow wants milliseconds');
        faults.slowMs = ms;
        break;
      }
      case 'old-protocol':
        faults.oldProtocol = flag(value, name);
        break;
      case 'leak-secrets':
        faults.leakSecrets = flag(value, name);
        break;
      case 'mute':
        faults.mute = flag(value, name);
        break;
      case 'seed': {
        const seed = Number(value);
        if (!Number.isInteger(seed)) throw new FaultSpecError('seed wants an integer');
        faults.seed = seed;
        break;
      }
      default:
        throw new FaultSpecError(`unknown fault "${name}"`);
    }
  }
  return faults;
}

export function formatFaults(faults: Faults): string {
  const ops = (set: OperationSet) => (set === 'all' ? '*' : [...set].join('+'));
  const parts: string[] = [];
  if (faults.corrupt > 0) parts.push(`corrupt=${faults.corrupt}`);
  if (faults.drop > 0) parts.push(`drop=${faults.drop}`);
  if (faults.rebootDuring === 'all' || faults.rebootDuring.size > 0)
    parts.push(`reboot-during=${ops(faults.rebootDuring)}`);
  if (faults.rebootAfter === 'all' || faults.rebootAfter.size > 0)
    parts.push(`reboot-after=${ops(faults.rebootAfter)}`);
  if (faults.flashFail === 'all' || faults.flashFail.size > 0) parts.push(`flash-fail=${ops(faults.flashFail)}`);
  if (faults.noNetwork) parts.push('no-network');
  if (faults.wrongClock) parts.push('wrong-clock');
  if (faults.slowMs > 0) parts.push(`slow=${faults.slowMs}`);
  if (faults.oldProtocol) parts.push('old-protocol');
  if (faults.leakSecrets) parts.push('leak-secrets');
  if (faults.mute) parts.push('mute');
  if (faults.seed !== undefined) parts.push(`seed=${faults.seed}`);
  return parts.join(',');
}

/** Deterministic PRNG (mulberry32) so a fault run can be replayed from its seed. */
export function createRandom(seed: number = Math.floor(Math.random() * 2 ** 32)): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
