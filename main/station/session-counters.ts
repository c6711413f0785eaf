import type { SessionCounters } from '../../common/contract/station';

/** Passed, failed and passed-per-hour since the station started or the technician reset them. */
export class SessionTally {
  #since: number;
  #firstRun: number | undefined;
  #counts = { passed: 0, failed: 0, skipped: 0, unresolved: 0 };
  readonly #now: () => number;

  constructor(now: () => number) {
    this.#now = now;
    this.#since = now();
  }

  runStarted(): void {
    this.#firstRun ??= this.#now();
  }

  finished(outcome: 'passed' | 'failed' | 'skipped' | 'unresolved'): void {
    this.#counts[outcome] += 1;
  }

  reset(): SessionCounters {
    this.#since = this.#now();
    this.#firstRun = undefined;
    this.#counts = { passed: 0, failed: 0, skipped: 0, unresolved: 0 };
    return this.view();
  }

  view(): SessionCounters {
    const start = this.#firstRun;
    // Passed devices per hour of work since the first run; the first minute counts as a whole
    // minute, so two quick passes do not read as thousands an hour.
    const elapsed = start === undefined ? 0 : Math.max(60_000, this.#now() - start);
    const perHour = elapsed === 0 ? 0 : Math.round((this.#counts.passed * 3_600_000 * 10) / elapsed) / 10;
    return { since: new Date(this.#since).toISOString(), ...this.#counts, perHour };
  }
}
