import type { JournalBreak } from './chain-verifier';
import { readJournalRecords } from './journal-reader';
import type { RecordOf } from './record-schema';

/**
 * Questions start-up recovery and the History view ask of the journal. They read every
 * schema-valid record, after a break too: for recovery, an intent past a damaged line still
 * names a key that may exist. Problems go to `onBreak` for the caller to report.
 */
export interface QueryOptions {
  onBreak?: (problem: JournalBreak) => void;
}

export interface UnfinishedIntent {
  intent: RecordOf<'intent'>;
  /** Step records of the run, in order: how far it got before the crash. */
  steps: Array<RecordOf<'step'>>;
  /** Reconcile records that did not settle it (an earlier recovery that failed, say). */
  reconciles: Array<RecordOf<'reconcile'>>;
}

/**
 * Intents with neither an `outcome` nor a settling `reconcile` (one with an `outcome`): runs a
 * crash interrupted after the intent, whose key may exist on the platform. Recovery reconciles
 * each and journals a `reconcile` record with an outcome, which takes it off this list.
 */
export async function unfinishedIntents(dataDir: string, options: QueryOptions = {}): Promise<UnfinishedIntent[]> {
  const open = new Map<string, UnfinishedIntent>();
  for await (const { record } of readJournalRecords(dataDir, options)) {
    switch (record.kind) {
      case 'intent':
        open.set(record.runId, { intent: record, steps: [], reconciles: [] });
        break;
      case 'step':
        open.get(record.runId)?.steps.push(record);
        break;
      case 'outcome':
        open.delete(record.runId);
        break;
      case 'reconcile':
        if (record.outcome) open.delete(record.runId);
        else open.get(record.runId)?.reconciles.push(record);
        break;
      default:
        break;
    }
  }
  return [...open.values()];
}

/**
 * Runs whose last word is `unresolved` (the device may run on the new key and could not be
 * asked): their keys stay active for a person to settle, which a `reconcile` with an outcome does.
 */
export async function unresolvedRuns(
  dataDir: string,
  options: QueryOptions = {},
): Promise<Array<RecordOf<'outcome'> | RecordOf<'reconcile'>>> {
  const latest = new Map<string, RecordOf<'outcome'> | RecordOf<'reconcile'>>();
  for await (const { record } of readJournalRecords(dataDir, options)) {
    if (record.kind === 'outcome' || (record.kind === 'reconcile' && record.outcome)) {
      if (record.outcome === 'unresolved') latest.set(record.runId, record);
      else latest.delete(record.runId);
    }
  }
  return [...latest.values()];
}
