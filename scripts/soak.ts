/**
 * `npm run soak`: provisions simulated units through the real pipeline with faults injected at
 * random on both sides, then checks every invariant from outside and prints the figures. The last
 * line is one JSON object (attempts, passed, failed, journalRecords, orphanKeys, brokenDevices,
 * secretsFound, peakRssMb, and more). Exit status 0 only when every invariant held.
 *
 *   npm run soak -- --devices N --lanes L --fault-rate R [--seed S] [--max-minutes M]
 *                   [--rotate-fraction F] [--keep]
 *
 * See docs/reliability.md for what is injected, what is checked, and a recorded run.
 */
import { parseArgs } from 'node:util';
import { runSoak, type SoakSummary } from './soak/run-soak';

const USAGE =
  'usage: npm run soak -- --devices N --lanes L --fault-rate R [--seed S] [--max-minutes M] [--rotate-fraction F] [--keep]';

function number(value: string | undefined, name: string, min: number, max: number, integer = true): number {
  const parsed = Number(value);
  if (
    value === undefined ||
    !Number.isFinite(parsed) ||
    parsed < min ||
    parsed > max ||
    (integer && !Number.isInteger(parsed))
  ) {
    throw new Error(`--${name} must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}`);
  }
  return parsed;
}

/** Whether every promise held: the exit status and the verdict line. */
export function invariantsHold(summary: SoakSummary): boolean {
  return (
    summary.journalRecords === summary.attempts &&
    summary.unfinishedIntents === 0 &&
    summary.journalIntact &&
    summary.orphanKeys === 0 &&
    summary.keysNotActive === 0 &&
    summary.brokenDevices === 0 &&
    summary.secretsFound === 0
  );
}

async function main(): Promise<number> {
  let options;
  try {
    const { values } = parseArgs({
      args: process.argv.slice(2),
      strict: true,
      options: {
        devices: { type: 'string' },
        lanes: { type: 'string' },
        'fault-rate': { type: 'string' },
        seed: { type: 'string' },
        'max-minutes': { type: 'string', default: '60' },
        'rotate-fraction': { type: 'string', default: '0.25' },
        keep: { type: 'boolean', default: false },
      },
    });
    options = {
      devices: number(values.devices, 'devices', 1, 100_000),
      lanes: number(values.lanes, 'lanes', 1, 256),
      faultRate: number(values['fault-rate'], 'fault-rate', 0, 1, false),
      seed: values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : number(values.seed, 'seed', 0, 2 ** 31),
      maxMinutes: number(values['max-minutes'], 'max-minutes', 0, 24 * 60, false),
      rotateFraction: number(values['rotate-fraction'], 'rotate-fraction', 0, 1, false),
      keep: values.keep,
    };
  } catch (error) {
    process.stderr.write(`soak: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  let printed = '';
  const print = (line: string) => {
    printed += `${line}\n`;
    process.stdout.write(`${line}\n`);
  };
  print(
    `Keyline soak: ${options.devices} units, ${options.lanes} lanes, fault rate ${options.faultRate}, ` +
      `seed ${options.seed}, at most ${options.maxMinutes} min`,
  );
  const summary = await runSoak({ ...options, print, printed: () => printed });
  const causes = Object.entries(summary.failedByCause)
    .sort((a, b) => b[1] - a[1])
    .map(([code, n]) => `${code} ${n}`)
    .join(', ');
  print(
    `attempts ${summary.attempts}: passed ${summary.passed}, failed ${summary.failed}${causes ? ` (${causes})` : ''}, ` +
      `skipped ${summary.skipped}; rotations ${summary.rotations.attempts} (${summary.rotations.passed} passed)`,
  );
  print(
    `faults: device ${JSON.stringify(summary.deviceFaults)}; platform ${JSON.stringify(summary.platformFaults)} ` +
      `of ${summary.platformRequests} requests; session renewals ${summary.tokenRenewals}`,
  );
  print(
    `journal: ${summary.journalRecords} of ${summary.attempts} attempts with a final record, ` +
      `${summary.unfinishedIntents} unfinished intents, chain ${summary.journalIntact ? 'intact' : 'BROKEN'}`,
  );
  print(
    `keys: ${summary.orphanKeys} orphan active keyline keys, ${summary.keysNotActive} units on keys that are not active; ` +
      `units: ${summary.devices} checked, ${summary.provisionedDevices} provisioned, ${summary.brokenDevices} broken`,
  );
  for (const line of summary.orphans) print(`  orphan: ${line}`);
  for (const line of summary.broken) print(`  broken: ${line}`);
  print(
    `secrets: ${summary.secretsKnown} known, found ${summary.secretsFound} times; ` +
      `${summary.secretsHeldAfter} still held in memory after the last run`,
  );
  for (const place of summary.secretPlaces) print(`  secret in ${place}`);
  print(
    `memory: peak RSS ${summary.peakRssMb} MB; growth from the first wave to the last: RSS ${summary.rssGrowthMb} MB, ` +
      `heap ${summary.heapGrowthMb} MB; ${summary.waves} waves in ${summary.minutes} min` +
      (summary.stoppedEarly ? ' (stopped at the time limit)' : ''),
  );
  const ok = invariantsHold(summary);
  print(ok ? 'every invariant held' : 'AN INVARIANT FAILED');
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  return ok ? 0 : 1;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`soak: ${(error as Error).stack ?? String(error)}\n`);
      process.exit(1);
    },
  );
}
